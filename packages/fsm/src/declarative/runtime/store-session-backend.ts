import { ConversationStoreError, ConversationTree, type ConversationNode, type ConversationStore, type NodeMetadata } from '@kit/conversations';
import type { Message } from '@kit/llm';
import { fsmSnapshotSchema, type FsmSnapshot } from '../core/fsm-snapshot.js';
import { FsmSessionError } from '../errors/fsm-session-error.js';
import type { FsmOpenSession, FsmSessionBackend, FsmTurnWrite } from './fsm-session-backend.js';

/** Node metadata key of a reply: the snapshot after it and the turn's record. */
export const FSM_NODE_METADATA_KEY = 'fsm';
/** Conversation metadata key of a snapshot changed without a message, with the node it applies on. */
export const FSM_SNAPSHOT_METADATA_KEY = 'fsmSnapshot';
/** Conversation metadata key naming the machine a conversation started with (filterable in `list`). */
export const FSM_MACHINE_METADATA_KEY = 'fsmMachine';

interface CachedConversation {
  tree: ConversationTree;
  version: number;
  snapshot: FsmSnapshot;
}

/**
 * Conversations in a `@kit/conversations` store, so any runtime over the same store resumes them
 * by id. Each exchange is one append (the user's node and the reply's node, the reply carrying
 * the snapshot after the turn in its metadata), naming the version it expects: a runtime whose
 * copy is stale gets the store's conflict error instead of overwriting. The root is an empty
 * system message, so `ConversationManager.history()` shows the same exchange.
 */
export class StoreSessionBackend implements FsmSessionBackend {
  readonly #store: ConversationStore;
  readonly #cache = new Map<string, CachedConversation>();
  readonly #maxCached: number;

  constructor(store: ConversationStore, options: { maxCachedConversations: number }) {
    this.#store = store;
    this.#maxCached = options.maxCachedConversations;
  }

  async create(conversationId: string, opening: FsmTurnWrite, metadata: Readonly<Record<string, unknown>>): Promise<void> {
    const tree = ConversationTree.create({ id: conversationId, rootMessage: { role: 'system', content: '' } });
    let header;
    try {
      header = await this.#store.create({ id: conversationId, root: tree.root, metadata: { ...metadata, [FSM_MACHINE_METADATA_KEY]: opening.snapshot.machine } });
    } catch (error) {
      if (error instanceof ConversationStoreError && error.reason === 'conflict') {
        throw new FsmSessionError('exists', conversationId, 'a conversation with this id exists', { cause: error });
      }
      throw error;
    }
    this.#remember(conversationId, { tree, version: header.version, snapshot: opening.snapshot });
    await this.appendTurn(conversationId, opening);
  }

  async open(conversationId: string, historyLimit: number): Promise<FsmOpenSession> {
    const cached = this.#cache.get(conversationId) ?? (await this.#load(conversationId));
    const history: Message[] = [];
    if (historyLimit > 0) {
      const path = cached.tree.activePath();
      // Index 0 is the empty system root.
      for (let i = Math.max(1, path.length - historyLimit); i < path.length; i++) history.push(path[i]!.message);
    }
    return { snapshot: cached.snapshot, history };
  }

  async appendTurn(conversationId: string, turn: FsmTurnWrite): Promise<void> {
    const cached = this.#cache.get(conversationId) ?? (await this.#load(conversationId));
    const { tree } = cached;
    const nodes: ConversationNode[] = [];
    try {
      let parentId = tree.activeNode.id;
      if (turn.userText !== undefined) {
        const user = tree.addChild(parentId, { role: 'user', content: turn.userText });
        nodes.push(user);
        parentId = user.id;
      }
      const metadata: NodeMetadata = { [FSM_NODE_METADATA_KEY]: { snapshot: turn.snapshot, turn: turn.record } };
      if (turn.usage !== undefined) metadata.usage = turn.usage;
      if (turn.provider !== undefined) metadata.provider = turn.provider;
      if (turn.model !== undefined) metadata.model = turn.model;
      const reply = tree.addChild(parentId, { role: 'assistant', content: turn.assistantText }, { metadata, partial: turn.partial ? true : undefined });
      nodes.push(reply);
      const header = await this.#store.appendNodes(conversationId, { expectedVersion: cached.version, nodes, activeNodeId: reply.id });
      tree.setActive(reply.id);
      cached.version = header.version;
      cached.snapshot = turn.snapshot;
    } catch (error) {
      // The local tree may hold nodes the store refused: drop it, the next turn reloads.
      this.#cache.delete(conversationId);
      throw error;
    }
  }

  async saveSnapshot(conversationId: string, snapshot: FsmSnapshot): Promise<void> {
    const cached = this.#cache.get(conversationId) ?? (await this.#load(conversationId));
    try {
      const patch = { [FSM_SNAPSHOT_METADATA_KEY]: { nodeId: cached.tree.activeNode.id, snapshot } };
      const header = await this.#store.updateMetadata(conversationId, patch, { expectedVersion: cached.version });
      cached.version = header.version;
      cached.snapshot = snapshot;
    } catch (error) {
      this.#cache.delete(conversationId);
      throw error;
    }
  }

  async #load(conversationId: string): Promise<CachedConversation> {
    const stored = await this.#store.load(conversationId);
    if (stored === null) throw new FsmSessionError('not-found', conversationId, 'no such conversation in the store');
    let tree: ConversationTree;
    try {
      tree = ConversationTree.fromSnapshot(stored);
    } catch (error) {
      throw new FsmSessionError('corrupt', conversationId, 'the stored conversation is not a valid tree', { cause: error });
    }
    const active = tree.activeNode;
    // A snapshot saved without a message applies only while its node is still the active one.
    const saved = stored.metadata[FSM_SNAPSHOT_METADATA_KEY] as { nodeId?: unknown; snapshot?: unknown } | undefined;
    const raw = saved?.nodeId === active.id ? saved.snapshot : (active.metadata[FSM_NODE_METADATA_KEY] as { snapshot?: unknown } | undefined)?.snapshot;
    if (raw === undefined) throw new FsmSessionError('corrupt', conversationId, 'the active message carries no FSM snapshot (not an FSM conversation?)');
    const parsed = fsmSnapshotSchema.safeParse(raw);
    if (!parsed.success) throw new FsmSessionError('corrupt', conversationId, `the stored FSM snapshot does not parse: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const cached: CachedConversation = { tree, version: stored.version, snapshot: parsed.data };
    this.#remember(conversationId, cached);
    return cached;
  }

  #remember(conversationId: string, cached: CachedConversation): void {
    this.#cache.delete(conversationId);
    this.#cache.set(conversationId, cached);
    if (this.#cache.size > this.#maxCached) this.#cache.delete(this.#cache.keys().next().value!);
  }
}
