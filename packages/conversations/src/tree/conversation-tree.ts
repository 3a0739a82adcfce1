import { formatIssues, messageSchema, type Message } from '@kit/llm';
import { z } from 'zod';
import { CONVERSATION_SCHEMA_VERSION, conversationNodeSchema, nodeMetadataSchema, type ConversationNode, type NodeMetadata } from '../store/conversation-record.js';
import { ConversationTreeError } from './conversation-tree-error.js';
import { formatNodeAddress, parseNodeAddress } from './node-address.js';
import { lazySchema } from '../lazy-schema.js';

/** The optional fields of a new node; `id`, `parentId`, `seq` and `schemaVersion` are the tree's to set. */
export interface AddChildOptions {
  /** Defaults to `crypto.randomUUID()`; must not be in the tree already. */
  id?: string | undefined;
  /** The prompt template the message was rendered from. */
  promptName?: string | undefined;
  /** A label for the branch this node starts or continues; stored as given, and kept by `edit`. */
  branchName?: string | undefined;
  /** A streamed reply kept before it finished. */
  partial?: boolean | undefined;
  /** What is known about the call that produced the message (usage, cost, model); defaults to `{}`. */
  metadata?: NodeMetadata | undefined;
  /** ISO 8601; defaults to now. */
  createdAt?: string | undefined;
}

/** Options of a new tree: its id, and its root node (usually the system prompt). */
export interface CreateConversationTreeOptions extends Omit<AddChildOptions, 'id'> {
  /** The conversation's id; defaults to `crypto.randomUUID()`. */
  id?: string | undefined;
  /** The root node's id; defaults to `crypto.randomUUID()`. */
  rootNodeId?: string | undefined;
  /** The root's message, typically the system prompt. */
  rootMessage: Message;
}

/** What `fromSnapshot` needs: a `ConversationSnapshot` from a store has all of it. */
export interface ConversationTreeSnapshot {
  /** The conversation's id; the tree keeps it. */
  id: string;
  /** The node to make active; it must be among `nodes`. */
  activeNodeId: string;
  /** Checked against the node with `parentId: null` when given. */
  rootNodeId?: string | undefined;
  /** At least the root; any order (sorted by `seq`), unique ids and seqs, every parent present. */
  nodes: readonly ConversationNode[];
}

/** A leaf of the tree and the path that leads to it, root first. */
export interface ConversationBranch {
  /** The node with no children that ends the branch (the root, in a tree that is only its root). */
  leaf: ConversationNode;
  /** The leaf's address: sibling positions from the root, dot-separated (`"0.1"`); `""` for the root. */
  address: string;
  /** The nodes from the root down to `leaf`, both included. */
  path: ConversationNode[];
}

const snapshotSchema = lazySchema(() =>
  z.object({
    id: z.string().min(1),
    activeNodeId: z.string().min(1),
    rootNodeId: z.string().min(1).optional(),
    nodes: z.array(conversationNodeSchema).min(1),
  }),
);

const addChildOptionsSchema = lazySchema(() =>
  z
    .object({
      id: z.string().min(1).max(200).optional(),
      promptName: z.string().optional(),
      branchName: z.string().optional(),
      partial: z.boolean().optional(),
      metadata: nodeMetadataSchema.optional(),
      createdAt: z.iso.datetime({ offset: true }).optional(),
    })
    .optional(),
);

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** zod passes `unknown` values (tool-call arguments, metadata) through by reference: copy first, so freezing never reaches the caller's objects. */
function copyInput<T>(what: string, value: T): T {
  try {
    return structuredClone(value);
  } catch (error) {
    throw new ConversationTreeError('invalid', `invalid ${what}: it must hold plain data only (${(error as Error).message})`, { cause: error });
  }
}

function invalid(what: string, error: z.ZodError): ConversationTreeError {
  return new ConversationTreeError('invalid', `invalid ${what}: ${formatIssues(error.issues)}`, { cause: error });
}

/**
 * A conversation as a tree of messages, in memory. Every node keeps its id for life; its address
 * (`"0.1"`: the second child of the root's first child) is computed from its position among its
 * siblings, which are ordered by `seq`. The active node marks the current branch: the model sees
 * `history()`, the messages on the path from the root to it.
 *
 * The tree does no I/O. `addChild` returns the new node for the caller to store
 * (`ConversationStore.appendNodes`); `removeSubtree` changes this view only. Nodes it returns are
 * frozen: change a conversation through the tree's methods, never by editing a node.
 *
 * Cost: `addressOf`, `pathTo`, `nodeAt` and `depthOf` are O(depth); `get`, `has` and the child
 * index are O(1); `fromSnapshot` is O(n) for nodes in `seq` order (a store's load order).
 */
export class ConversationTree {
  /** The conversation's id (the one its store uses); fixed for the tree's life. */
  readonly id: string;
  readonly #nodes = new Map<string, ConversationNode>();
  /** Children of each node, in `seq` order. */
  readonly #children = new Map<string, ConversationNode[]>();
  /** A node's position in its parent's child list: what makes `addressOf` O(depth). */
  readonly #position = new Map<string, number>();
  readonly #depth = new Map<string, number>();
  #root: ConversationNode;
  #active: ConversationNode;
  #maxSeq: number;
  #maxDepth: number | undefined = 0;

  private constructor(id: string, root: ConversationNode) {
    this.id = id;
    this.#root = root;
    this.#active = root;
    this.#maxSeq = root.seq;
    this.#index(root, 0, 0);
  }

  /** A new conversation holding only its root (`seq` 0), which is active. */
  static create(options: CreateConversationTreeOptions): ConversationTree {
    const { id, rootNodeId, rootMessage, ...rest } = options;
    const parsedId = z.string().min(1).max(200).optional().safeParse(id);
    if (!parsedId.success) throw invalid('conversation id', parsedId.error);
    const root = ConversationTree.#buildNode(null, 0, rootMessage, { ...rest, id: rootNodeId });
    return new ConversationTree(parsedId.data ?? crypto.randomUUID(), root);
  }

  /**
   * Rebuilds a tree from stored nodes. Nodes may come in any order (sorted by `seq` when they are
   * not already); there must be exactly one root, unique ids and seqs, every parent present with a
   * lower `seq`, and the active node among them.
   */
  static fromSnapshot(snapshot: ConversationTreeSnapshot): ConversationTree {
    const parsed = snapshotSchema().safeParse(copyInput('conversation snapshot', snapshot));
    if (!parsed.success) throw invalid('conversation snapshot', parsed.error);
    const { id, activeNodeId, rootNodeId } = parsed.data;
    let nodes = parsed.data.nodes;
    if (!nodes.every((node, index) => index === 0 || nodes[index - 1]!.seq < node.seq)) nodes = [...nodes].sort((a, b) => a.seq - b.seq);
    const root = nodes[0]!;
    if (root.parentId !== null) throw new ConversationTreeError('invalid', `the node with the lowest seq ("${root.id}") must be the root, but it has a parent`);
    if (rootNodeId !== undefined && rootNodeId !== root.id) throw new ConversationTreeError('invalid', `the snapshot names root "${rootNodeId}", but the root node is "${root.id}"`);
    const tree = new ConversationTree(id, deepFreeze(root));
    for (let index = 1; index < nodes.length; index++) {
      const node = nodes[index]!;
      if (node.seq === nodes[index - 1]!.seq) throw new ConversationTreeError('invalid', `nodes "${nodes[index - 1]!.id}" and "${node.id}" share seq ${node.seq}`);
      if (node.parentId === null) throw new ConversationTreeError('invalid', `the snapshot has two roots: "${root.id}" and "${node.id}"`);
      if (tree.#nodes.has(node.id)) throw new ConversationTreeError('invalid', `node id "${node.id}" appears twice`);
      if (!tree.#nodes.has(node.parentId)) {
        throw new ConversationTreeError('invalid', `node "${node.id}" has parent "${node.parentId}", which is not in the snapshot before it (by seq)`);
      }
      tree.#attach(deepFreeze(node));
    }
    const active = tree.#nodes.get(activeNodeId);
    if (active === undefined) throw new ConversationTreeError('invalid', `the active node "${activeNodeId}" is not in the snapshot`);
    tree.#active = active;
    return tree;
  }

  /** The node with no parent (`seq` 0 in a new tree), usually the system prompt; it cannot be removed. */
  get root(): ConversationNode {
    return this.#root;
  }

  /** The end of the current branch: `history()` is the path to it. The root in a new tree. */
  get activeNode(): ConversationNode {
    return this.#active;
  }

  /** The number of nodes, root included. */
  get size(): number {
    return this.#nodes.size;
  }

  /** The deepest node's depth: 0 for a tree that is only its root. */
  get depth(): number {
    if (this.#maxDepth === undefined) {
      let max = 0;
      for (const depth of this.#depth.values()) if (depth > max) max = depth;
      this.#maxDepth = max;
    }
    return this.#maxDepth;
  }

  /** The highest `seq` handed out so far; the next node gets one more (even after removals). */
  get lastSeq(): number {
    return this.#maxSeq;
  }

  /** True when the tree holds a node with this id. */
  has(nodeId: string): boolean {
    return this.#nodes.has(nodeId);
  }

  /** The node with this id, or `undefined`. */
  get(nodeId: string): ConversationNode | undefined {
    return this.#nodes.get(nodeId);
  }

  /** Every node, in `seq` order (parents before children). */
  nodes(): ConversationNode[] {
    // Insertion order is seq order: nodes are attached in seq order and only ever removed.
    return [...this.#nodes.values()];
  }

  /**
   * Adds a message under `parentId` and returns the new node, with a fresh id and the next `seq`.
   * The active node does not move (call `setActive`), and nothing is stored.
   */
  addChild(parentId: string, message: Message, options?: AddChildOptions): ConversationNode {
    this.#require(parentId);
    const node = ConversationTree.#buildNode(parentId, this.#maxSeq + 1, message, options);
    if (this.#nodes.has(node.id)) throw new ConversationTreeError('invalid', `node id "${node.id}" is already in the tree`);
    this.#attach(node);
    return node;
  }

  /** The node's address: `""` for the root, else its sibling positions from the root, dot-separated. */
  addressOf(nodeId: string): string {
    let node = this.#require(nodeId);
    const steps: number[] = [];
    while (node.parentId !== null) {
      steps.push(this.#position.get(node.id)!);
      node = this.#nodes.get(node.parentId)!;
    }
    return formatNodeAddress(steps.reverse());
  }

  /** The node at `address`, or `undefined` when the address is well-formed but leads nowhere. */
  nodeAt(address: string): ConversationNode | undefined {
    let node: ConversationNode | undefined = this.#root;
    for (const step of parseNodeAddress(address)) {
      node = this.#children.get(node.id)?.[step];
      if (node === undefined) return undefined;
    }
    return node;
  }

  /** The nodes from the root down to `nodeId`, both included. */
  pathTo(nodeId: string): ConversationNode[] {
    let node = this.#require(nodeId);
    const path = [node];
    while (node.parentId !== null) {
      node = this.#nodes.get(node.parentId)!;
      path.push(node);
    }
    return path.reverse();
  }

  /** The node's depth: 0 for the root. */
  depthOf(nodeId: string): number {
    this.#require(nodeId);
    return this.#depth.get(nodeId)!;
  }

  /** The node's children, in `seq` order. */
  children(nodeId: string): ConversationNode[] {
    this.#require(nodeId);
    return [...(this.#children.get(nodeId) ?? [])];
  }

  /** The other children of the node's parent, in `seq` order (none for the root). */
  siblings(nodeId: string): ConversationNode[] {
    const node = this.#require(nodeId);
    if (node.parentId === null) return [];
    return this.#children.get(node.parentId)!.filter((sibling) => sibling.id !== nodeId);
  }

  /** Every leaf with its address and its path from the root, in address order. */
  branches(): ConversationBranch[] {
    const branches: ConversationBranch[] = [];
    // Depth-first with an explicit stack: a 10,000-turn chain must not overflow the call stack.
    const path: ConversationNode[] = [this.#root];
    const steps: number[] = [];
    const next: number[] = [0];
    while (path.length > 0) {
      const node = path.at(-1)!;
      const children = this.#children.get(node.id) ?? [];
      const position = next.at(-1)!;
      if (children.length === 0) branches.push({ leaf: node, address: formatNodeAddress(steps), path: [...path] });
      if (position < children.length) {
        next[next.length - 1] = position + 1;
        path.push(children[position]!);
        steps.push(position);
        next.push(0);
      } else {
        path.pop();
        steps.pop();
        next.pop();
      }
    }
    return branches;
  }

  /**
   * Makes a node active, by id or by address. An id is tried first; a string that is not an id must
   * be a well-formed address that leads to a node.
   */
  setActive(nodeIdOrAddress: string): ConversationNode {
    const byId = this.#nodes.get(nodeIdOrAddress);
    const node = byId ?? this.nodeAt(nodeIdOrAddress);
    if (node === undefined) throw new ConversationTreeError('not-found', `no node has id or address "${nodeIdOrAddress}"`);
    this.#active = node;
    return node;
  }

  /** The nodes from the root to the active node: the current branch. */
  activePath(): ConversationNode[] {
    return this.pathTo(this.#active.id);
  }

  /** The messages the model sees: the active path's messages, root first. */
  history(): Message[] {
    return this.activePath().map((node) => node.message);
  }

  /**
   * Removes a node and everything under it from this view and returns the removed nodes in `seq`
   * order. Surviving ids never change; the addresses of later siblings shift down by one. When the
   * active node is among the removed, the removed subtree's parent becomes active. The root cannot
   * be removed.
   */
  removeSubtree(nodeId: string): ConversationNode[] {
    const top = this.#require(nodeId);
    if (top.parentId === null) throw new ConversationTreeError('invalid', 'the root cannot be removed');
    const removed: ConversationNode[] = [];
    const stack = [top];
    while (stack.length > 0) {
      const node = stack.pop()!;
      removed.push(node);
      stack.push(...(this.#children.get(node.id) ?? []));
    }
    const siblings = this.#children.get(top.parentId)!;
    const at = this.#position.get(top.id)!;
    siblings.splice(at, 1);
    for (let position = at; position < siblings.length; position++) this.#position.set(siblings[position]!.id, position);
    let activeRemoved = false;
    for (const node of removed) {
      this.#nodes.delete(node.id);
      this.#children.delete(node.id);
      this.#position.delete(node.id);
      this.#depth.delete(node.id);
      if (node === this.#active) activeRemoved = true;
    }
    if (activeRemoved) this.#active = this.#nodes.get(top.parentId)!;
    this.#maxDepth = undefined;
    return removed.sort((a, b) => a.seq - b.seq);
  }

  #require(nodeId: string): ConversationNode {
    const node = this.#nodes.get(nodeId);
    if (node === undefined) throw new ConversationTreeError('not-found', `no node "${nodeId}" in conversation "${this.id}"`);
    return node;
  }

  #index(node: ConversationNode, position: number, depth: number): void {
    this.#nodes.set(node.id, node);
    this.#position.set(node.id, position);
    this.#depth.set(node.id, depth);
    if (this.#maxDepth !== undefined && depth > this.#maxDepth) this.#maxDepth = depth;
    if (node.seq > this.#maxSeq) this.#maxSeq = node.seq;
  }

  /** Adds a node whose parent is in the tree and whose seq is the highest yet: it goes last among its siblings. */
  #attach(node: ConversationNode): void {
    const parentId = node.parentId!;
    let siblings = this.#children.get(parentId);
    if (siblings === undefined) {
      siblings = [];
      this.#children.set(parentId, siblings);
    }
    siblings.push(node);
    this.#index(node, siblings.length - 1, this.#depth.get(parentId)! + 1);
  }

  static #buildNode(parentId: string | null, seq: number, message: Message, options: AddChildOptions | undefined): ConversationNode {
    const parsedMessage = messageSchema.safeParse(copyInput('message', message));
    if (!parsedMessage.success) throw invalid('message', parsedMessage.error);
    const parsedOptions = addChildOptionsSchema().safeParse(copyInput('node options', options));
    if (!parsedOptions.success) throw invalid('node options', parsedOptions.error);
    const { id, createdAt, metadata, promptName, branchName, partial } = parsedOptions.data ?? {};
    const node: ConversationNode = {
      schemaVersion: CONVERSATION_SCHEMA_VERSION,
      id: id ?? crypto.randomUUID(),
      parentId,
      seq,
      message: parsedMessage.data,
      createdAt: createdAt === undefined ? new Date().toISOString() : new Date(createdAt).toISOString(),
      metadata: metadata ?? {},
    };
    if (promptName !== undefined) node.promptName = promptName;
    if (branchName !== undefined) node.branchName = branchName;
    if (partial !== undefined) node.partial = partial;
    return deepFreeze(node);
  }
}
