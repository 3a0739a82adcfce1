import { FsmError } from './fsm-error.js';

/** Why a conversation could not be continued. */
export type FsmSessionErrorReason = 'not-found' | 'exists' | 'corrupt' | 'unknown-machine' | 'stack-empty' | 'conflict';

/**
 * A conversation the runtime cannot start or continue: no such conversation, an id already taken,
 * a stored snapshot that does not parse, a snapshot naming a machine this runtime does not know,
 * a pop with nothing pushed, or a `conflict`: another runtime (another process) wrote the
 * conversation after this turn read it, so this turn's write was refused and nothing of it was
 * stored. Only a conflict is `retryable`: the same call again starts from the fresh state.
 */
export class FsmSessionError extends FsmError {
  readonly reason: FsmSessionErrorReason;
  readonly conversationId: string;
  /** True for `conflict`: running the call again (it reloads) can succeed. */
  readonly retryable: boolean;

  constructor(reason: FsmSessionErrorReason, conversationId: string, message: string, options?: { cause?: unknown }) {
    super(`fsm/session-${reason}`, `${message} (conversation "${conversationId}")`, options);
    this.reason = reason;
    this.conversationId = conversationId;
    this.retryable = reason === 'conflict';
  }
}
