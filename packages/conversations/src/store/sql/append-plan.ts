import { ConversationStoreError } from '../conversation-errors.js';
import type { ConversationNode } from '../conversation-record.js';

/** What an append needs from the stored conversation, once its own nodes have been checked. */
export interface AppendPlan {
  /** Parents of new nodes that are not new themselves: each must be stored already. */
  storedParentIds: string[];
  /** The ids of the new nodes. */
  newNodeIds: ReadonlySet<string>;
  /** The smallest `seq` among the new nodes: every stored node's `seq` must be lower. */
  firstSeq: number;
}

function invalid(message: string, conversationId: string): ConversationStoreError {
  return new ConversationStoreError('invalid', message, { conversationId });
}

/**
 * Checks the nodes of one append among themselves, before the store looks at what it holds:
 * every node has a parent (only the root has none), each parent is stored or comes earlier in
 * the list, ids are distinct, and `seq` increases along the list (a conversation hands `seq` out
 * in increasing order, and siblings are ordered by it). The SQL stores call it inside the write
 * transaction, after the version check: a stale write is a conflict whatever its nodes.
 */
export function planAppend(conversationId: string, nodes: readonly ConversationNode[]): AppendPlan {
  const newNodeIds = new Set<string>();
  const storedParentIds = new Set<string>();
  let previousSeq = -1;
  for (const node of nodes) {
    if (node.parentId === null) throw invalid(`node "${node.id}" has no parent: only the root has none`, conversationId);
    if (newNodeIds.has(node.id)) throw invalid(`node "${node.id}" appears twice in one append`, conversationId);
    if (node.seq <= previousSeq) throw invalid(`node "${node.id}" has seq ${node.seq}, not above the seq ${previousSeq} before it`, conversationId);
    if (!newNodeIds.has(node.parentId)) storedParentIds.add(node.parentId);
    newNodeIds.add(node.id);
    previousSeq = node.seq;
  }
  return { storedParentIds: [...storedParentIds], newNodeIds, firstSeq: nodes[0]?.seq ?? 0 };
}

/** The error for a parent that is neither stored nor earlier in the append. */
export function missingParentError(conversationId: string, parentId: string): ConversationStoreError {
  return invalid(`parent node "${parentId}" does not exist in the conversation`, conversationId);
}

/** The error for a new node whose id the conversation holds already. */
export function duplicateNodeError(conversationId: string, nodeId?: string): ConversationStoreError {
  return invalid(nodeId === undefined ? 'a new node has an id the conversation holds already' : `node "${nodeId}" exists already`, conversationId);
}

/** The error for a `seq` that does not increase past the stored nodes'. */
export function staleSeqError(conversationId: string, firstSeq: number, storedMaxSeq: number): ConversationStoreError {
  return invalid(`new nodes start at seq ${firstSeq}, but the conversation already holds seq ${storedMaxSeq}`, conversationId);
}

/** The error for an `activeNodeId` of an append that is neither stored nor appended. */
export function missingAppendActiveNodeError(conversationId: string, nodeId: string): ConversationStoreError {
  return invalid(`the active node "${nodeId}" is neither stored nor appended`, conversationId);
}

/** The error for `setActiveNode` to a node the conversation does not hold. */
export function missingNodeError(conversationId: string, nodeId: string): ConversationStoreError {
  return new ConversationStoreError('not-found', `node "${nodeId}" does not exist in the conversation`, { conversationId });
}
