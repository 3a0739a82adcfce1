import { KitError } from '@kit/llm';

/** Why a `ConversationTree` refused: a malformed address, an unknown node, or input it cannot accept. */
export type ConversationTreeErrorReason = 'invalid-address' | 'not-found' | 'invalid';

/** Every error a `ConversationTree` throws on purpose; `code` is `conversation-tree-<reason>`. */
export class ConversationTreeError extends KitError {
  /** Why the tree refused; `code` is `conversation-tree-` followed by this. */
  readonly reason: ConversationTreeErrorReason;

  /** Builds the error; `options.cause` is kept as the standard `cause`. */
  constructor(reason: ConversationTreeErrorReason, message: string, options: { cause?: unknown } = {}) {
    super(`conversation-tree-${reason}`, message, options);
    this.reason = reason;
  }
}
