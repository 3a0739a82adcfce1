import { FSM_NODE_METADATA_KEY, FSM_SNAPSHOT_METADATA_KEY, fsmSnapshotSchema, type FsmSnapshot } from '@kit/fsm';
import type { ConversationNode, ConversationTree } from '@kit/conversations';

/**
 * The FSM snapshot after a stored reply: the runtime keeps it in the reply's metadata, or, for a
 * reply written outside the runtime (a regenerate), in the conversation's metadata naming the
 * node. Undefined for user messages and for nodes no snapshot applies to.
 */
export function fsmSnapshotOf(node: ConversationNode, conversationMetadata: Readonly<Record<string, unknown>> = {}): FsmSnapshot | undefined {
  const saved = conversationMetadata[FSM_SNAPSHOT_METADATA_KEY] as { nodeId?: unknown; snapshot?: unknown } | undefined;
  const raw = saved?.nodeId === node.id ? saved.snapshot : (node.metadata[FSM_NODE_METADATA_KEY] as { snapshot?: unknown } | undefined)?.snapshot;
  if (raw === undefined) return undefined;
  const parsed = fsmSnapshotSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** The machine states along the tree's active path, in order, repeats removed. */
export function statesAlongActivePath(tree: ConversationTree, conversationMetadata: Readonly<Record<string, unknown>> = {}): string[] {
  const states: string[] = [];
  for (const node of tree.activePath()) {
    const state = fsmSnapshotOf(node, conversationMetadata)?.state;
    if (state !== undefined && state !== states.at(-1)) states.push(state);
  }
  return states;
}
