import { ToolCallError, formatIssues, responseMessage, type LanguageModel, type Message, type ToolCall, type ToolMessage } from '@kit/llm';
import { toolDefinitionOf, type AgentTool } from './agent-tool.js';
import { MaxIterationsError } from './max-iterations-error.js';
import type { PersistentMemory } from './persistent-memory.js';
import type { RefusedToolCall } from './refused-tool-call.js';
import { runToolBatch } from './tool-batch.js';
import type { ToolCallOutcome } from './tool-call-outcome.js';

/** What the tool loop needs; the agent fills it in. */
export interface ToolLoopOptions {
  model: LanguageModel;
  /** The whole system message (prompt and memory context). */
  system: string;
  userMessage: string;
  state: string;
  memory: PersistentMemory;
  /** The tools in scope in `state`. */
  tools: readonly AgentTool[];
  /** Whether a tool of this name exists at all (to tell an unknown tool from an out-of-scope one). */
  isKnownTool(name: string): boolean;
  maxIterations: number;
  defaultTimeoutMs: number;
  /** Messages of a run that broke, to continue from (system message left out). */
  priorTranscript?: readonly Message[] | undefined;
  signal?: AbortSignal | undefined;
  temperature?: number | undefined;
  onRefusal(refusal: RefusedToolCall): void;
}

/** How the loop ended: the model answered, or a breaking tool ran. */
export type ToolLoopOutcome =
  | { type: 'done'; text: string; transcript: Message[]; iterations: number; toolCalls: ToolCallOutcome[] }
  | { type: 'break'; transcript: Message[]; results: ToolCallOutcome[]; iterations: number; toolCalls: ToolCallOutcome[] };

/**
 * Asks the model, runs the tools it calls (a batch at a time, in parallel), answers with their
 * results, and repeats until the model answers without tools, a breaking tool has run, or
 * `maxIterations` rounds are used (a `MaxIterationsError`). `transcript` leaves the system message
 * out, so a resumed run starts from a fresh system prompt.
 */
export async function runToolLoop(options: ToolLoopOptions): Promise<ToolLoopOutcome> {
  const { model, state, memory } = options;
  const available = new Map(options.tools.map((tool) => [tool.name, tool]));
  const definitions = options.tools.map(toolDefinitionOf);
  const transcript: Message[] = [...(options.priorTranscript ?? []), { role: 'user', content: options.userMessage }];
  const toolCalls: ToolCallOutcome[] = [];

  for (let round = 1; round <= options.maxIterations; round++) {
    options.signal?.throwIfAborted();
    const messages: Message[] = [{ role: 'system', content: options.system }, ...transcript];
    let calls: ToolCall[];
    let outcomes: ToolCallOutcome[];
    try {
      const response = await model.complete({
        messages,
        tools: definitions.length > 0 ? definitions : undefined,
        signal: options.signal,
        temperature: options.temperature,
      });
      transcript.push(responseMessage(response));
      if (response.toolCalls.length === 0) return { type: 'done', text: response.text, transcript, iterations: round, toolCalls };
      if (round === options.maxIterations) throw new MaxIterationsError(state, options.maxIterations, [messages[0]!, ...transcript]);
      calls = response.toolCalls;
      outcomes = await runToolBatch(calls, { state, memory, available, defaultTimeoutMs: options.defaultTimeoutMs, signal: options.signal });
    } catch (error) {
      // The model core rejects a call to a tool it was not offered, or with arguments that fail
      // the schema, and the rest of that reply with it. Answer that one call with an error
      // result, so the model can correct itself; nothing runs.
      if (!(error instanceof ToolCallError)) throw error;
      const call: ToolCall = { id: error.toolCallId || `rejected_${round}`, name: error.toolName, arguments: looseArguments(error.rawArguments) };
      transcript.push({ role: 'assistant', content: '', toolCalls: [call] });
      if (round === options.maxIterations) throw new MaxIterationsError(state, options.maxIterations, [messages[0]!, ...transcript]);
      calls = [call];
      outcomes = [rejectedOutcome(call, error)];
    }
    options.signal?.throwIfAborted();

    outcomes.forEach((outcome, i) => {
      if (outcome.status !== 'refused') return;
      const call = calls[i]!;
      options.onRefusal({
        state,
        callId: call.id,
        toolName: call.name,
        arguments: call.arguments,
        reason: options.isKnownTool(call.name) ? 'out-of-scope' : 'unknown-tool',
        at: new Date().toISOString(),
      });
    });
    toolCalls.push(...outcomes);
    transcript.push(...outcomes.map(toolMessage));
    if (outcomes.some((o) => o.breaking && o.status === 'ok')) {
      return { type: 'break', transcript, results: outcomes, iterations: round, toolCalls };
    }
  }
  // Unreachable for maxIterations >= 1 (the last round returns or throws); kept for the type checker.
  throw new MaxIterationsError(state, options.maxIterations, [{ role: 'system', content: options.system }, ...transcript]);
}

function toolMessage(outcome: ToolCallOutcome): ToolMessage {
  return { role: 'tool', toolCallId: outcome.callId, toolName: outcome.toolName, content: outcome.content, isError: outcome.isError };
}

function rejectedOutcome(call: ToolCall, error: ToolCallError): ToolCallOutcome {
  const refused = error.reason === 'unknown-tool';
  const content = refused
    ? `Error: the tool ${JSON.stringify(call.name)} is not available in this state; nothing was run.`
    : `Error: invalid arguments for ${call.name}: ${error.issues ? formatIssues(error.issues) : error.message}; nothing was run.`;
  return {
    callId: call.id,
    toolName: call.name,
    arguments: call.arguments,
    status: refused ? 'refused' : 'invalid-arguments',
    content,
    isError: true,
    value: null,
    breaking: false,
    durationMs: 0,
  };
}

function looseArguments(raw: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: the call is answered with an error anyway; keep the raw text for the record.
  }
  return { raw };
}
