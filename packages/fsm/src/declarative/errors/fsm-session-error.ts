import { FsmError } from './fsm-error.js';

/** Why a conversation could not be continued. */
export type FsmSessionErrorReason = 'not-found' | 'exists' | 'corrupt' | 'unknown-machine' | 'stack-empty' | 'conflict' | 'unavailable';

/**
 * A conversation the runtime cannot start or continue: no such conversation, an id already taken,
 * a stored snapshot that does not parse, a snapshot naming a machine this runtime does not know,
 * a pop with nothing pushed, a `conflict`: another runtime (another process) wrote the
 * conversation after this turn read it, so this turn's write was refused and nothing of it was
 * stored, or `unavailable`: the store could not be reached (a database restarting, a lost
 * connection), with the store's `ConversationStoreError` as the cause.
 *
 * `conflict` and `unavailable` are `retryable`: the same call again reloads the conversation and
 * can succeed. After `unavailable` the turn's write may have been stored (the cause's message
 * says when it may): a `converse` with an `idempotencyKey` is then answered from the store
 * instead of running twice, and a `start` with a `conversationId` that finds its own opening
 * stored fails as `exists`. Without those, running the call again may store a second turn or
 * conversation.
 */
export class FsmSessionError extends FsmError {
  /** Why; the `code` is `fsm/session-<reason>`. */
  readonly reason: FsmSessionErrorReason;
  /** The conversation concerned. */
  readonly conversationId: string;
  /** True for `conflict` and `unavailable`: running the call again (it reloads) can succeed. */
  readonly retryable: boolean;

  /** Builds the error; the message gets the conversation id appended and `retryable` follows `reason`. */
  constructor(reason: FsmSessionErrorReason, conversationId: string, message: string, options?: { cause?: unknown }) {
    super(`fsm/session-${reason}`, `${message} (conversation "${conversationId}")`, options);
    this.reason = reason;
    this.conversationId = conversationId;
    this.retryable = reason === 'conflict' || reason === 'unavailable';
  }
}
