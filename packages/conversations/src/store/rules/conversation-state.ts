import { ConversationConflictError, ConversationStoreError } from '../conversation-errors.js';
import { CONVERSATION_SCHEMA_VERSION, type ConversationHeader, type ConversationNode } from '../conversation-record.js';

/**
 * One conversation's state and the rules of writing to it: version checks, parent, seq and id
 * checks, and how each write changes the header. The memory store keeps one per conversation with
 * its nodes; the file store keeps one per open conversation without them (ids and the highest seq
 * are all a write needs to check), and replays records through the same `apply` methods on load.
 */
export class ConversationState {
  #header: ConversationHeader;
  readonly #nodeIds = new Set<string>();
  #maxSeq = -1;
  /** All nodes in seq order, when the owner keeps them. */
  readonly nodes: ConversationNode[] | undefined;

  private constructor(header: ConversationHeader, keepNodes: boolean) {
    this.#header = header;
    this.nodes = keepNodes ? [] : undefined;
  }

  /** A new conversation at version 1, its root active; `updatedAt` is `createdAt`. */
  static create(input: { id: string; root: ConversationNode; metadata: Record<string, unknown>; createdAt: string }, keepNodes: boolean): ConversationState {
    const header: ConversationHeader = {
      schemaVersion: CONVERSATION_SCHEMA_VERSION,
      id: input.id,
      version: 1,
      activeNodeId: input.root.id,
      rootNodeId: input.root.id,
      metadata: input.metadata,
      createdAt: input.createdAt,
      updatedAt: input.createdAt,
    };
    const state = new ConversationState(header, keepNodes);
    state.#add(input.root);
    return state;
  }

  /**
   * A conversation from a stored header and every node (a compacted file). Checks what `appendNodes`
   * would have: one root, parents before children, increasing seq, the active node present.
   */
  static fromSnapshot(header: ConversationHeader, nodes: readonly ConversationNode[], keepNodes: boolean): ConversationState {
    const state = new ConversationState(header, keepNodes);
    const [root, ...rest] = nodes;
    if (root === undefined || root.parentId !== null || root.id !== header.rootNodeId) {
      throw new ConversationStoreError('corrupt', `the stored snapshot does not start with its root "${header.rootNodeId}"`, { conversationId: header.id });
    }
    state.#add(root);
    state.#checkNodes(rest, 'corrupt');
    for (const node of rest) state.#add(node);
    if (!state.#nodeIds.has(header.activeNodeId)) {
      throw new ConversationStoreError('corrupt', `the stored active node "${header.activeNodeId}" is not among the nodes`, { conversationId: header.id });
    }
    return state;
  }

  /** The same conversation without its node list: what the file store keeps between calls. */
  withoutNodes(): ConversationState {
    const copy = new ConversationState(this.#header, false);
    for (const id of this.#nodeIds) copy.#nodeIds.add(id);
    copy.#maxSeq = this.#maxSeq;
    return copy;
  }

  get header(): ConversationHeader {
    return this.#header;
  }

  get id(): string {
    return this.#header.id;
  }

  get version(): number {
    return this.#header.version;
  }

  get maxSeq(): number {
    return this.#maxSeq;
  }

  hasNode(nodeId: string): boolean {
    return this.#nodeIds.has(nodeId);
  }

  /** Throws `ConversationConflictError` unless the conversation is at `expectedVersion`. */
  checkVersion(expectedVersion: number): void {
    if (expectedVersion !== this.#header.version) throw new ConversationConflictError(this.#header.id, expectedVersion, this.#header.version);
  }

  /** Throws `invalid` unless the nodes and the new active node may be appended (see the conformance suite's rules). */
  checkAppend(nodes: readonly ConversationNode[], activeNodeId: string | undefined): void {
    this.#checkNodes(nodes, 'invalid');
    if (activeNodeId !== undefined && !this.#nodeIds.has(activeNodeId) && !nodes.some((node) => node.id === activeNodeId)) {
      throw new ConversationStoreError('invalid', `the active node "${activeNodeId}" is neither stored nor appended`, { conversationId: this.id });
    }
  }

  /** Throws `not-found` unless the node is in the conversation. */
  checkActive(nodeId: string): void {
    if (!this.#nodeIds.has(nodeId)) throw new ConversationStoreError('not-found', `no node "${nodeId}"`, { conversationId: this.id });
  }

  applyAppend(version: number, at: string, nodes: readonly ConversationNode[], activeNodeId: string): ConversationHeader {
    for (const node of nodes) this.#add(node);
    return this.#bump(version, at, { activeNodeId });
  }

  applyActive(version: number, at: string, nodeId: string): ConversationHeader {
    return this.#bump(version, at, { activeNodeId: nodeId });
  }

  /** Shallow merge; a key set to `null` is removed. */
  applyMetadata(version: number, at: string, patch: Readonly<Record<string, unknown>>): ConversationHeader {
    const metadata = { ...this.#header.metadata };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete metadata[key];
      else metadata[key] = value;
    }
    return this.#bump(version, at, { metadata });
  }

  #bump(version: number, at: string, changes: Partial<ConversationHeader>): ConversationHeader {
    if (version !== this.#header.version + 1) {
      throw new ConversationStoreError('corrupt', `write version ${version} does not follow version ${this.#header.version}`, { conversationId: this.id });
    }
    this.#header = { ...this.#header, ...changes, version, updatedAt: at };
    return this.#header;
  }

  #checkNodes(nodes: readonly ConversationNode[], reason: 'invalid' | 'corrupt'): void {
    const fail = (message: string): never => {
      throw new ConversationStoreError(reason, message, { conversationId: this.id });
    };
    const batch = new Set<string>();
    let lastSeq = this.#maxSeq;
    for (const node of nodes) {
      if (node.parentId === null) fail(`node "${node.id}" has no parent, but the conversation has its root already`);
      if (this.#nodeIds.has(node.id) || batch.has(node.id)) fail(`node id "${node.id}" is already in the conversation`);
      if (!this.#nodeIds.has(node.parentId!) && !batch.has(node.parentId!)) fail(`node "${node.id}" has parent "${node.parentId}", which is neither stored nor earlier in the batch`);
      if (node.seq <= lastSeq) fail(`node "${node.id}" has seq ${node.seq}, but seq must exceed ${lastSeq}`);
      batch.add(node.id);
      lastSeq = node.seq;
    }
  }

  #add(node: ConversationNode): void {
    this.#nodeIds.add(node.id);
    if (node.seq > this.#maxSeq) this.#maxSeq = node.seq;
    this.nodes?.push(node);
  }
}
