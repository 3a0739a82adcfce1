import { z } from 'zod';
import { jsonValueSchema, type JsonValue } from './json-value.js';

/**
 * How one tool call ended: it ran (`ok`), threw (`error`), ran past its time limit (`timeout`),
 * had arguments its schema refused (`invalid-arguments`, never ran), or named a tool that is
 * unknown or outside the current state's scope (`refused`, never ran).
 */
export type ToolCallStatus = 'ok' | 'error' | 'timeout' | 'invalid-arguments' | 'refused';

/** The result of one tool call, as returned to the model (`content`) and kept for callers. */
export interface ToolCallOutcome {
  /** The id of the model's tool call, which the tool result answers. */
  callId: string;
  /** The tool name the model called (which may name no tool, when `refused`). */
  toolName: string;
  /** The arguments as the model sent them, before validation. */
  arguments: Record<string, unknown>;
  /** How the call ended. */
  status: ToolCallStatus;
  /** What the model is told: the tool's result, or the reason it has none. */
  content: string;
  /** True unless `status` is `ok`; sent to the model with the result. */
  isError: boolean;
  /** The tool's return value as JSON data (null unless `ok`). */
  value: JsonValue;
  /** Whether the tool is a breaking one (it stops the run once its batch is done). */
  breaking: boolean;
  /** How long the tool ran, in ms (fractional); 0 when it never ran. */
  durationMs: number;
}

/** The shape of a stored {@link ToolCallOutcome}, checked when a checkpoint is loaded. */
export const toolCallOutcomeSchema = z.object({
  /** The id of the model's tool call, which the tool result answers. */
  callId: z.string(),
  /** The tool name the model called (which may name no tool, when `refused`). */
  toolName: z.string(),
  /** The arguments as the model sent them, before validation. */
  arguments: z.record(z.string(), z.unknown()),
  /** How the call ended. */
  status: z.enum(['ok', 'error', 'timeout', 'invalid-arguments', 'refused']),
  /** What the model is told: the tool's result, or the reason it has none. */
  content: z.string(),
  /** True unless `status` is `ok`; sent to the model with the result. */
  isError: z.boolean(),
  /** The tool's return value as JSON data (null unless `ok`). */
  value: jsonValueSchema,
  /** Whether the tool is a breaking one (it stops the run once its batch is done). */
  breaking: z.boolean(),
  /** How long the tool ran, in ms (fractional); 0 when it never ran. */
  durationMs: z.number().nonnegative(),
});
