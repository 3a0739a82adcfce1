import { FsmError } from './fsm-error.js';

/** Why a conversation could not be continued. */
export type FsmSessionErrorReason = 'not-found' | 'exists' | 'corrupt' | 'unknown-machine' | 'stack-empty';

/**
 * A conversation the runtime cannot start or continue: no such conversation, an id already taken,
 * a stored snapshot that does not parse, a snapshot naming a machine this runtime does not know,
 * or a pop with nothing pushed.
 */
export class FsmSessionError extends FsmError {
  readonly reason: FsmSessionErrorReason;
  readonly conversationId: string;

  constructor(reason: FsmSessionErrorReason, conversationId: string, message: string, options?: { cause?: unknown }) {
    super(`fsm/session-${reason}`, `${message} (conversation "${conversationId}")`, options);
    this.reason = reason;
    this.conversationId = conversationId;
  }
}
