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
  callId: string;
  toolName: string;
  arguments: Record<string, unknown>;
  status: ToolCallStatus;
  /** What the model is told: the tool's result, or the reason it has none. */
  content: string;
  isError: boolean;
  /** The tool's return value as JSON data (null unless `ok`). */
  value: JsonValue;
  /** Whether the tool is a breaking one (it stops the run once its batch is done). */
  breaking: boolean;
  durationMs: number;
}

/** The shape of a stored {@link ToolCallOutcome}, checked when a checkpoint is loaded. */
export const toolCallOutcomeSchema = z.object({
  callId: z.string(),
  toolName: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  status: z.enum(['ok', 'error', 'timeout', 'invalid-arguments', 'refused']),
  content: z.string(),
  isError: z.boolean(),
  value: jsonValueSchema,
  breaking: z.boolean(),
  durationMs: z.number().nonnegative(),
});
