import { KitError } from '@kit/llm';

/**
 * Why a store refused: a stale expected version, a missing conversation or node, bad input, a
 * record it cannot read, a closed store, or a database it cannot reach (`unavailable`: a
 * PostgreSQL server restarting, a refused or lost connection).
 */
export type ConversationStoreErrorReason = 'conflict' | 'not-found' | 'invalid' | 'unsupported-schema' | 'corrupt' | 'closed' | 'unavailable';

/**
 * Every error a `ConversationStore` throws on purpose; `code` is `conversation-store-<reason>`.
 * A call that throws has written nothing, except an `unavailable` write whose connection was
 * lost while it committed: its message says that it may or may not have been stored.
 */
export class ConversationStoreError extends KitError {
  /** Why the store refused; `code` is `conversation-store-` followed by this. */
  readonly reason: ConversationStoreErrorReason;
  /** The conversation the call was about; undefined when the error concerns no single one. */
  readonly conversationId: string | undefined;
  /**
   * True when the operation can succeed if run again: `unavailable`, and a `conflict` with another
   * writer. After an `unavailable` error, as it was (a write that did get stored then fails as a
   * `conflict`, since it names a version the conversation has left, or an id that exists); after
   * a `conflict`, from a fresh `load` (or later, for a lock another process held too long). False
   * for a `conflict` over an id that is taken: running the same create again fails the same way.
   */
  readonly retryable: boolean;

  /**
   * Builds the error; the message gets the conversation id appended when one is given.
   * @param options - `retryable` defaults to true for `conflict` and `unavailable`, else false.
   */
  constructor(
    reason: ConversationStoreErrorReason,
    message: string,
    options: { conversationId?: string | undefined; cause?: unknown; retryable?: boolean } = {},
  ) {
    super(`conversation-store-${reason}`, options.conversationId === undefined ? message : `${message} (conversation "${options.conversationId}")`, {
      cause: options.cause,
    });
    this.reason = reason;
    this.conversationId = options.conversationId;
    this.retryable = options.retryable ?? (reason === 'conflict' || reason === 'unavailable');
  }
}

/** A write that named a version the conversation is no longer at: someone else wrote first. */
export class ConversationConflictError extends ConversationStoreError {
  /** The version the write named (the one the writer last loaded). */
  readonly expectedVersion: number;
  /** The version the conversation is at now; undefined when the store could not tell. */
  readonly actualVersion: number | undefined;

  /** Builds a retryable `conflict` error for `conversationId`. */
  constructor(conversationId: string, expectedVersion: number, actualVersion: number | undefined) {
    super('conflict', `expected version ${expectedVersion}, but the conversation is at ${actualVersion ?? 'an unknown version'}`, { conversationId });
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}
