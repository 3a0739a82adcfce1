import { ConversationStoreError } from '../conversation-errors.js';

/**
 * Another process (or store) held a conversation's lock file for longer than the store waits.
 * Its `reason` is `conflict`: someone else is writing; retrying later is the remedy.
 */
export class ConversationLockTimeoutError extends ConversationStoreError {
  readonly timeoutMs: number;

  constructor(conversationId: string, timeoutMs: number) {
    super('conflict', `another writer held the conversation's lock for more than ${timeoutMs} ms`, { conversationId });
    this.timeoutMs = timeoutMs;
  }
}
