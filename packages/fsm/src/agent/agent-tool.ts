import { TOOL_NAME_PATTERN, toJsonSchema, zodSchemaSchema, type ToolDefinition } from '@kit/llm';
import { z } from 'zod';
import { AgentError } from './agent-error.js';
import { parseAgentInput } from './parse-agent-input.js';
import type { PersistentMemory } from './persistent-memory.js';
import { lazySchema } from '../lazy-schema.js';

/**
 * How a tool behaves. `sync` tools return their result directly and, since they block while they
 * run, cannot be cut short by their time limit. `async` tools return a promise and are given an
 * `AbortSignal` that fires at their time limit. `breaking` tools (sync or async) stop the run once
 * their batch is done: memory is saved and `ExecutionBreak` is thrown, to wait for a human or an
 * outside event. Only a breaking call that ran and returned does this: one that throws, runs past
 * its time limit, or is refused (invalid arguments, outside the tool's states) is answered with an
 * error result like any other tool's, and the run goes on so the model can retry or answer.
 */
export type ToolKind = 'sync' | 'async' | 'breaking';

/** What a tool is given besides its arguments. */
export interface ToolRunContext {
  /** The session's memory, which the tool may read and change. */
  readonly memory: PersistentMemory;
  /** The state the tool runs in. */
  readonly state: string;
  /** Fires at the tool's time limit or when the run is aborted. */
  readonly signal: AbortSignal;
  /** The id of the model's tool call, as in the tool's `ToolCallOutcome`. */
  readonly callId: string;
}

/**
 * A tool an agent's model may call. `parameters` is a zod object schema: arguments are validated
 * with it before the tool runs. `states` limits the tool to those states (every state when left
 * out).
 */
export interface AgentTool<Args = any> {
  /** The name the model calls it by: 1-64 of a-z, A-Z, 0-9, _ and -; unique in a registry. */
  name: string;
  /** What the tool does and when to call it, shown to the model; none when left out. */
  description?: string | undefined;
  /** A zod object schema of the arguments; it must not transform values. */
  parameters: z.ZodType<Args>;
  /** Default `async`. */
  kind?: ToolKind | undefined;
  /** The states it may be called in (at least one); every state when left out. */
  states?: readonly string[] | undefined;
  /** Time limit of one call, in ms; the agent's `toolTimeoutMs` when left out. */
  timeoutMs?: number | undefined;
  /**
   * Does the tool's work with validated arguments; the result (awaited when a promise) goes back to
   * the model as JSON. A throw is reported to the model as the tool's error.
   */
  run(args: Args, context: ToolRunContext): unknown;
}

/** Defines a tool with its argument type inferred from its zod schema. */
export function defineAgentTool<Args>(tool: AgentTool<Args>): AgentTool<Args> {
  return tool;
}

const agentToolSchema = lazySchema(() =>
  z.object({
    name: z.string().regex(TOOL_NAME_PATTERN, 'tool names are 1-64 of a-z, A-Z, 0-9, _ and -'),
    description: z.string().optional(),
    parameters: zodSchemaSchema,
    kind: z.enum(['sync', 'async', 'breaking']).optional(),
    states: z.array(z.string().min(1)).min(1, 'a scope names at least one state (leave `states` out for every state)').optional(),
    timeoutMs: z.number().int().positive().optional(),
    run: z.custom<AgentTool['run']>((value) => typeof value === 'function', { message: 'run must be a function' }),
  }),
);

/**
 * Checks a tool definition: a provider-safe name, a zod schema of an arguments object that JSON
 * Schema can express and that does not transform values, a known kind, a non-empty scope and a
 * `run` function. Throws an `AgentError` with reason `invalid-definition` otherwise.
 */
export function checkAgentTool(tool: AgentTool): AgentTool {
  parseAgentInput(agentToolSchema(), tool, 'tool definition', 'invalid-definition');
  let schema: Record<string, unknown>;
  try {
    schema = toJsonSchema(tool.parameters);
  } catch (error) {
    throw new AgentError('invalid-definition', `Tool "${tool.name}": its parameters cannot be expressed as JSON Schema`, { cause: error });
  }
  try {
    z.toJSONSchema(tool.parameters, { io: 'output' });
  } catch (error) {
    // The model core hands over arguments it has parsed already, and they are parsed again here
    // before the tool runs: a transformed value would not pass its own schema a second time.
    throw new AgentError('invalid-definition', `Tool "${tool.name}": parameters must not transform values (use refinements, defaults or coercion)`, {
      cause: error,
    });
  }
  if (schema['type'] !== 'object') {
    throw new AgentError('invalid-definition', `Tool "${tool.name}": parameters must be a zod object schema (the arguments object)`);
  }
  return tool;
}

/** The definition a model is offered: name, description and parameter schema. */
export function toolDefinitionOf(tool: AgentTool): ToolDefinition<unknown> {
  return { name: tool.name, description: tool.description, parameters: tool.parameters };
}
