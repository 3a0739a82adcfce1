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
  readonly reason: AgentErrorReason;

  constructor(reason: AgentErrorReason, message: string, options?: { cause?: unknown }) {
    super(`agent/${reason}`, message, options);
    this.reason = reason;
  }
}
