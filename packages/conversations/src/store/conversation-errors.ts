import { KitError } from '@kit/llm';

/** Why a store refused: a stale expected version, a missing conversation or node, bad input, a record it cannot read, a closed store. */
export type ConversationStoreErrorReason = 'conflict' | 'not-found' | 'invalid' | 'unsupported-schema' | 'corrupt' | 'closed';

/** Every error a `ConversationStore` throws on purpose. A call that throws has written nothing. */
export class ConversationStoreError extends KitError {
  readonly reason: ConversationStoreErrorReason;
  readonly conversationId: string | undefined;

  constructor(reason: ConversationStoreErrorReason, message: string, options: { conversationId?: string | undefined; cause?: unknown } = {}) {
    super(`conversation-store-${reason}`, options.conversationId === undefined ? message : `${message} (conversation "${options.conversationId}")`, {
      cause: options.cause,
    });
    this.reason = reason;
    this.conversationId = options.conversationId;
  }
}

/** A write that named a version the conversation is no longer at: someone else wrote first. */
export class ConversationConflictError extends ConversationStoreError {
  readonly expectedVersion: number;
  readonly actualVersion: number | undefined;

  constructor(conversationId: string, expectedVersion: number, actualVersion: number | undefined) {
    super('conflict', `expected version ${expectedVersion}, but the conversation is at ${actualVersion ?? 'an unknown version'}`, { conversationId });
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}
