import { KitError } from '@kit/llm';

/** Why the code-first state machine part refused or stopped. */
export type AgentErrorReason =
  | 'invalid-input'
  | 'invalid-definition'
  | 'unknown-state'
  | 'invalid-transition'
  | 'guard-rejected'
  | 'bucket-out-of-range'
  | 'memory-corrupt'
  | 'memory-not-found'
  | 'duplicate-tool'
  | 'max-iterations'
  | 'execution-break'
  | 'nothing-to-resume'
  | 'refinement-failed';

/**
 * The base of every error the code-first part of `@kit/fsm` throws on purpose (agents, memory,
 * tools, refinement and the `Fsm` primitive). `code` is `agent/<reason>`; switch on `reason`.
 */
export class AgentError extends KitError {
  /** Why it was thrown; `code` is `agent/<reason>`. */
  readonly reason: AgentErrorReason;

  /**
   * Builds the error with the code `agent/<reason>`.
   * @param reason - Why; it also makes the `code`.
   * @param message - What went wrong, for people.
   * @param options - `cause`: the underlying error, if any.
   */
  constructor(reason: AgentErrorReason, message: string, options?: { cause?: unknown }) {
    super(`agent/${reason}`, message, options);
    this.reason = reason;
  }
}
