/** Why a tool call was refused without running. */
export type ToolRefusalReason = 'unknown-tool' | 'out-of-scope';

/**
 * A tool call the model asked for but that did not run: no such tool, or a tool that exists but
 * not in the current state. Nothing changes; the model gets an error result and the call is kept
 * here for audit.
 */
export interface RefusedToolCall {
  /** The state the run was in. */
  state: string;
  /** The id of the model's tool call. */
  callId: string;
  /** The tool name the model asked for. */
  toolName: string;
  /** The arguments the model sent, unvalidated. */
  arguments: Record<string, unknown>;
  /** `unknown-tool` when no tool has that name, `out-of-scope` when it is not in the state's scope. */
  reason: ToolRefusalReason;
  /** ISO 8601. */
  at: string;
}
