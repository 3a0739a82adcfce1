import { ConversationStoreError } from '../conversation-errors.js';

/**
 * Another process (or store) held a conversation's lock file for longer than the store waits.
 * Its `reason` is `conflict`: someone else is writing; retrying later is the remedy.
 */
export class ConversationLockTimeoutError extends ConversationStoreError {
  /** How long the store waited for the lock, in milliseconds. */
  readonly timeoutMs: number;

  /** Builds a retryable `conflict` error for `conversationId`. */
  constructor(conversationId: string, timeoutMs: number) {
    super('conflict', `another writer held the conversation's lock for more than ${timeoutMs} ms`, { conversationId });
    this.timeoutMs = timeoutMs;
  }
}
