import type { ConversationNode, ConversationStore } from '@kit/conversations';
import { FSM_IDEMPOTENCY_METADATA_KEY, FSM_MACHINE_METADATA_KEY, FSM_NODE_METADATA_KEY } from '@kit/fsm';
import { stateAfter } from './load-machine.js';
import type { PlannedConversation } from './turn-plan.js';

export interface VerificationResult {
  conversations: number;
  /** Conversations in the store that the plan does not know. */
  strays: number;
  problems: string[];
}

/**
 * Reads every planned conversation back from the store and checks it holds exactly its turns:
 * the opening, then each user message once, in order, with its idempotency key, each followed
 * by one reply carrying the snapshot of that turn; no other node (a duplicate turn, a half-written
 * one, a branch) anywhere in the tree. `replies` (by idempotency key) are what the deliveries
 * were answered with: the stored reply must be that one.
 */
export async function verifyConversations(
  store: ConversationStore,
  plan: readonly PlannedConversation[],
  replies: ReadonlyMap<string, string>,
  machineName: string,
): Promise<VerificationResult> {
  const problems: string[] = [];
  for (const planned of plan) problems.push(...(await verifyConversation(store, planned, replies)));
  const known = new Set(plan.map((c) => c.conversationId));
  let strays = 0;
  let cursor: string | undefined;
  do {
    const page = await store.list({ metadata: { [FSM_MACHINE_METADATA_KEY]: machineName }, limit: 1_000, cursor });
    for (const header of page.items) if (!known.has(header.id)) strays++;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  if (strays > 0) problems.push(`${strays} conversations in the store were never planned`);
  return { conversations: plan.length, strays, problems };
}

async function verifyConversation(store: ConversationStore, planned: PlannedConversation, replies: ReadonlyMap<string, string>): Promise<string[]> {
  const id = planned.conversationId;
  const stored = await store.load(id);
  if (stored === null) return [`${id}: missing`];
  const problems: string[] = [];
  const expectedNodes = 2 + 2 * planned.turns.length;
  if (stored.nodes.length !== expectedNodes) problems.push(`${id}: ${stored.nodes.length} nodes, expected ${expectedNodes} (root, opening, a user message and a reply per turn)`);
  const byId = new Map(stored.nodes.map((node) => [node.id, node]));
  const path: ConversationNode[] = [];
  for (let node = byId.get(stored.activeNodeId); node !== undefined; node = node.parentId === null ? undefined : byId.get(node.parentId)) path.unshift(node);
  if (path.length !== expectedNodes) {
    problems.push(`${id}: the active path holds ${path.length} messages, expected ${expectedNodes}`);
    return problems;
  }
  if (path[1]!.message.role !== 'assistant') problems.push(`${id}: no opening message`);
  for (const turn of planned.turns) {
    const user = path[2 * turn.index]!;
    const reply = path[2 * turn.index + 1]!;
    const where = `${id} turn ${turn.index}`;
    if (user.message.role !== 'user' || user.message.content !== turn.text) problems.push(`${where}: expected the user message ${JSON.stringify(turn.text)}, found ${user.message.role} ${JSON.stringify(user.message.content)}`);
    if (user.metadata[FSM_IDEMPOTENCY_METADATA_KEY] !== turn.idempotencyKey) problems.push(`${where}: the user message carries key ${JSON.stringify(user.metadata[FSM_IDEMPOTENCY_METADATA_KEY])}`);
    if (reply.message.role !== 'assistant' || reply.partial === true) {
      problems.push(`${where}: expected a whole reply, found ${reply.message.role}${reply.partial === true ? ' (partial)' : ''}`);
      continue;
    }
    const snapshot = (reply.metadata[FSM_NODE_METADATA_KEY] as { snapshot?: { state?: unknown; turn?: unknown } } | undefined)?.snapshot;
    if (snapshot?.state !== stateAfter(turn.index) || snapshot.turn !== turn.index) {
      problems.push(`${where}: the reply's snapshot is ${JSON.stringify(snapshot && { state: snapshot.state, turn: snapshot.turn })}, expected state ${stateAfter(turn.index)} at turn ${turn.index}`);
    }
    const answered = replies.get(turn.idempotencyKey);
    if (answered !== undefined && answered !== reply.message.content) problems.push(`${where}: stored ${JSON.stringify(reply.message.content)}, but the caller was answered ${JSON.stringify(answered)}`);
  }
  return problems;
}
