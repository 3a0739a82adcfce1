import { ConversationStoreError, ConversationTree, type ConversationNode, type ConversationSnapshot, type ConversationStore, type NodeMetadata } from '@kit/conversations';
import type { Message } from '@kit/llm';
import { z } from 'zod';
import { fsmSnapshotSchema, type FsmSnapshot } from '../core/fsm-snapshot.js';
import { FsmSessionError } from '../errors/fsm-session-error.js';
import type { FsmOpenSession, FsmSessionBackend, FsmStoredTurn, FsmTurnRecord, FsmTurnWrite } from './fsm-session-backend.js';
import { lazySchema } from '../../lazy-schema.js';

/** Node metadata key of a reply: the snapshot after it and the turn's record. */
export const FSM_NODE_METADATA_KEY = 'fsm';
/** Conversation metadata key of a snapshot changed without a message, with the node it applies on. */
export const FSM_SNAPSHOT_METADATA_KEY = 'fsmSnapshot';
/** Conversation metadata key naming the machine a conversation started with (filterable in `list`). */
export const FSM_MACHINE_METADATA_KEY = 'fsmMachine';
/** Node metadata key of a user message: the idempotency key it was delivered with. */
export const FSM_IDEMPOTENCY_METADATA_KEY = 'idempotencyKey';

/** A conversation as read from the store: the tree, the version it was at, the snapshot at its active node. */
interface LoadedConversation {
  tree: ConversationTree;
  version: number;
  snapshot: FsmSnapshot;
}

/** A stored turn record, checked loosely: written by this runtime, read back from a store. */
const turnRecordSchema = lazySchema(() =>
  z.looseObject({
    machine: z.string(),
    previousState: z.string(),
    state: z.string(),
    transition: z.looseObject({ from: z.string(), to: z.string() }).optional(),
    refusals: z.array(z.looseObject({ kind: z.enum(['context-key', 'transition']), reason: z.string(), message: z.string() })),
    reasoning: z.string().optional(),
  }),
);

function isStoreConflict(error: unknown): boolean {
  return error instanceof ConversationStoreError && error.reason === 'conflict';
}

function conflictError(conversationId: string, cause: unknown): FsmSessionError {
  return new FsmSessionError('conflict', conversationId, 'another writer changed the conversation after this turn read it; nothing of this turn was stored', { cause });
}

/**
 * A store that could not be reached becomes a retryable `FsmSessionError('unavailable')`, as a
 * conflict becomes `conflict`: one error type, with `retryable`, for every "run it again"; the
 * store's error, whose message says whether a write may have been stored, is the cause.
 */
function sessionError(conversationId: string, error: unknown): unknown {
  if (isStoreConflict(error)) return conflictError(conversationId, error);
  if (error instanceof ConversationStoreError && error.reason === 'unavailable') {
    // The store's message ends with the conversation, as this one will.
    const suffix = ` (conversation "${error.conversationId}")`;
    const detail = error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
    return new FsmSessionError('unavailable', conversationId, `the conversation store is unavailable: ${detail}`, { cause: error });
  }
  return error;
}

/**
 * Conversations in a `@kit/conversations` store, so any runtime over the same store resumes them
 * by id. Each exchange is one append (the user's node and the reply's node, the reply carrying
 * the snapshot after the turn in its metadata), naming the version the turn read: if another
 * runtime wrote in between, the store refuses it and the turn fails as
 * `FsmSessionError('conflict')` instead of overwriting. A store that cannot be reached (its
 * `ConversationStoreError('unavailable')`) fails the call as `FsmSessionError('unavailable')`;
 * both are `retryable`. The root is an empty system message, so
 * `ConversationManager.history()` shows the same exchange.
 *
 * With `maxCachedConversations > 0` decoded trees are kept between turns (one process owning its
 * conversations); with 0 nothing is kept and every turn reads the store (several processes).
 */
export class StoreSessionBackend implements FsmSessionBackend {
  readonly #store: ConversationStore;
  readonly #cache = new Map<string, LoadedConversation>();
  readonly #maxCached: number;

  constructor(store: ConversationStore, options: { maxCachedConversations: number }) {
    this.#store = store;
    this.#maxCached = options.maxCachedConversations;
  }

  async create(conversationId: string, opening: FsmTurnWrite, metadata: Readonly<Record<string, unknown>>): Promise<void> {
    const tree = ConversationTree.create({ id: conversationId, rootMessage: { role: 'system', content: '' } });
    let loaded: LoadedConversation;
    try {
      const header = await this.#store.create({ id: conversationId, root: tree.root, metadata: { ...metadata, [FSM_MACHINE_METADATA_KEY]: opening.snapshot.machine } });
      loaded = { tree, version: header.version, snapshot: opening.snapshot };
    } catch (error) {
      if (!isStoreConflict(error)) throw sessionError(conversationId, error);
      // Creating and storing the opening are two writes: a start that failed between them (a
      // crash, a lost connection) left the root alone. Starting again with the id finishes it.
      const stored = await this.#read(conversationId);
      // Gone again (deleted in between), or the conflict was the database's (a serialization
      // failure): nothing stands in the way of a start that runs again.
      if (stored === null) throw conflictError(conversationId, error);
      if (!isUnopened(stored, opening.snapshot.machine)) {
        throw new FsmSessionError('exists', conversationId, 'a conversation with this id exists', { cause: error });
      }
      loaded = { tree: ConversationTree.fromSnapshot(stored), version: stored.version, snapshot: opening.snapshot };
    }
    try {
      await this.appendTurn(conversationId, opening, { snapshot: opening.snapshot, history: [], position: loaded });
    } catch (error) {
      if (error instanceof FsmSessionError && error.reason === 'conflict') {
        throw new FsmSessionError('exists', conversationId, 'a conversation with this id exists (another start stored its opening first)', { cause: error });
      }
      throw error;
    }
  }

  async open(conversationId: string, historyLimit: number, idempotencyKey?: string): Promise<FsmOpenSession> {
    const loaded = this.#cache.get(conversationId) ?? (await this.#load(conversationId));
    const path = loaded.tree.activePath();
    const history: Message[] = [];
    if (historyLimit > 0) {
      // Index 0 is the empty system root.
      for (let i = Math.max(1, path.length - historyLimit); i < path.length; i++) history.push(path[i]!.message);
    }
    const replay = idempotencyKey === undefined ? undefined : storedTurn(conversationId, path, idempotencyKey);
    return { snapshot: loaded.snapshot, history, replay, position: loaded };
  }

  async appendTurn(conversationId: string, turn: FsmTurnWrite, session: FsmOpenSession): Promise<void> {
    const loaded = session.position as LoadedConversation;
    const { tree } = loaded;
    const nodes: ConversationNode[] = [];
    try {
      let parentId = tree.activeNode.id;
      if (turn.userText !== undefined) {
        const userMetadata: NodeMetadata | undefined = turn.idempotencyKey === undefined ? undefined : { [FSM_IDEMPOTENCY_METADATA_KEY]: turn.idempotencyKey };
        const user = tree.addChild(parentId, { role: 'user', content: turn.userText }, { metadata: userMetadata });
        nodes.push(user);
        parentId = user.id;
      }
      const metadata: NodeMetadata = { [FSM_NODE_METADATA_KEY]: { snapshot: turn.snapshot, turn: turn.record } };
      if (turn.usage !== undefined) metadata.usage = turn.usage;
      if (turn.provider !== undefined) metadata.provider = turn.provider;
      if (turn.model !== undefined) metadata.model = turn.model;
      const reply = tree.addChild(parentId, { role: 'assistant', content: turn.assistantText }, { metadata, partial: turn.partial ? true : undefined });
      nodes.push(reply);
      const header = await this.#store.appendNodes(conversationId, { expectedVersion: loaded.version, nodes, activeNodeId: reply.id });
      tree.setActive(reply.id);
      loaded.version = header.version;
      loaded.snapshot = turn.snapshot;
      this.#remember(conversationId, loaded);
    } catch (error) {
      // The local tree may hold nodes the store refused: drop it, the next turn reloads.
      this.#cache.delete(conversationId);
      throw sessionError(conversationId, error);
    }
  }

  async saveSnapshot(conversationId: string, snapshot: FsmSnapshot, session: FsmOpenSession): Promise<void> {
    const loaded = session.position as LoadedConversation;
    try {
      const patch = { [FSM_SNAPSHOT_METADATA_KEY]: { nodeId: loaded.tree.activeNode.id, snapshot } };
      const header = await this.#store.updateMetadata(conversationId, patch, { expectedVersion: loaded.version });
      loaded.version = header.version;
      loaded.snapshot = snapshot;
      this.#remember(conversationId, loaded);
    } catch (error) {
      this.#cache.delete(conversationId);
      throw sessionError(conversationId, error);
    }
  }

  async #load(conversationId: string): Promise<LoadedConversation> {
    const stored = await this.#read(conversationId);
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
    if (raw === undefined) {
      if (typeof stored.metadata[FSM_MACHINE_METADATA_KEY] === 'string' && stored.nodes.length === 1) {
        throw new FsmSessionError('corrupt', conversationId, 'the conversation was created but its opening was never stored (a start that failed midway): start it again with this id');
      }
      throw new FsmSessionError('corrupt', conversationId, 'the active message carries no FSM snapshot (not an FSM conversation?)');
    }
    const parsed = fsmSnapshotSchema.safeParse(raw);
    if (!parsed.success) throw new FsmSessionError('corrupt', conversationId, `the stored FSM snapshot does not parse: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const loaded: LoadedConversation = { tree, version: stored.version, snapshot: parsed.data };
    this.#remember(conversationId, loaded);
    return loaded;
  }

  async #read(conversationId: string): Promise<ConversationSnapshot | null> {
    try {
      return await this.#store.load(conversationId);
    } catch (error) {
      throw sessionError(conversationId, error);
    }
  }

  #remember(conversationId: string, loaded: LoadedConversation): void {
    if (this.#maxCached === 0) return;
    this.#cache.delete(conversationId);
    this.#cache.set(conversationId, loaded);
    if (this.#cache.size > this.#maxCached) this.#cache.delete(this.#cache.keys().next().value!);
  }
}

/** A conversation whose creation was stored but whose opening was not: the root alone, of this machine. */
function isUnopened(stored: ConversationSnapshot, machine: string): boolean {
  return stored.nodes.length === 1 && stored.activeNodeId === stored.rootNodeId && stored.metadata[FSM_MACHINE_METADATA_KEY] === machine;
}

/**
 * The turn whose user message carries `key`, on the active path: the reply after it, with the
 * snapshot and record the reply stored; `corrupt` when that reply cannot be read. Walks from the newest message back, since a re-delivery
 * is usually of a recent one.
 */
function storedTurn(conversationId: string, path: readonly ConversationNode[], key: string): FsmStoredTurn | undefined {
  for (let i = path.length - 2; i >= 1; i--) {
    const user = path[i]!;
    if (user.message.role !== 'user' || user.metadata[FSM_IDEMPOTENCY_METADATA_KEY] !== key) continue;
    const reply = path[i + 1]!;
    const fsm = reply.metadata[FSM_NODE_METADATA_KEY] as { snapshot?: unknown; turn?: unknown } | undefined;
    const snapshot = fsmSnapshotSchema.safeParse(fsm?.snapshot);
    const record = turnRecordSchema().safeParse(fsm?.turn);
    if (!snapshot.success || !record.success || typeof reply.message.content !== 'string') {
      // Running the turn again would store the key twice: better to stop and say why.
      throw new FsmSessionError('corrupt', conversationId, `the reply to the message with idempotency key ${JSON.stringify(key)} carries no readable FSM turn`);
    }
    return { assistantText: reply.message.content, partial: reply.partial === true, snapshot: snapshot.data, record: record.data as unknown as FsmTurnRecord };
  }
  return undefined;
}
