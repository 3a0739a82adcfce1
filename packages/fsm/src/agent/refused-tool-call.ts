/** Why a tool call was refused without running. */
export type ToolRefusalReason = 'unknown-tool' | 'out-of-scope';

/**
 * A tool call the model asked for but that did not run: no such tool, or a tool that exists but
 * not in the current state. Nothing changes; the model gets an error result and the call is kept
 * here for audit.
 */
export interface RefusedToolCall {
  state: string;
  callId: string;
  toolName: string;
  arguments: Record<string, unknown>;
  reason: ToolRefusalReason;
  /** ISO 8601. */
  at: string;
}
