export { ConversationTree } from './conversation-tree.js';
export type { AddChildOptions, ConversationBranch, ConversationTreeSnapshot, CreateConversationTreeOptions } from './conversation-tree.js';
export { ConversationTreeError, type ConversationTreeErrorReason } from './conversation-tree-error.js';
export { formatNodeAddress, parseNodeAddress } from './node-address.js';
