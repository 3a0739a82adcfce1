import {
  KitError,
  StreamAccumulator,
  addUsage,
  costFor,
  emptyUsage,
  responseMessage,
  type AssistantMessage,
  type CompletionRequest,
  type CompletionResponse,
  type LanguageModel,
  type Message,
  type StreamPart,
  type Usage,
} from '@kit/llm';
import { MemoryRagResultCache, type PromptBuilder, type RagResultCache } from '@kit/prompts';
import type { ConversationNode, NodeMetadata } from '../store/conversation-record.js';
import type { ConversationStore } from '../store/conversation-store.js';
import { ConversationTree, type AddChildOptions, type ConversationBranch } from '../tree/index.js';
import { fitToBudget, type BudgetResult, type ContextBudgetOptions } from './context-budget.js';
import {
  composeStreamText,
  runAfterResponse,
  runBeforeRequest,
  type ConversationCallContext,
  type ConversationMiddleware,
} from './conversation-middleware.js';

/** A conversation used in a way it cannot be: no such node, a regenerate of a user message, a missing prompt builder. */
export class ConversationUsageError extends KitError {
  /** Builds the error with `code` `conversation-usage`. */
  constructor(message: string) {
    super('conversation-usage', message);
  }
}

/**
 * What a {@link ConversationManager} works with: the model it calls, the store it writes every step
 * to, and how requests are built.
 */
export interface ConversationManagerOptions {
  /** The model every `complete`, `stream` and `regenerate` calls. */
  model: LanguageModel;
  /** Where every new node, active-node move and metadata change is written as it happens. */
  store: ConversationStore;
  /** Renders `systemPromptName` and messages added by prompt name. */
  promptBuilder?: PromptBuilder | undefined;
  /** Layers around each call (none by default): `beforeRequest` runs first-to-last, `afterResponse` last-to-first. */
  middleware?: readonly ConversationMiddleware[] | undefined;
  /** Keeps each call within the model's context; without it, the whole active path is sent. */
  contextBudget?: ContextBudgetOptions | undefined;
  /** Request fields sent with every call (tools, temperature, ...). */
  defaults?: Omit<CompletionRequest, 'messages'> | undefined;
}

/**
 * Options of {@link ConversationManager.create}: the manager's options, plus the new conversation's
 * id, system prompt (as text, or by name through the prompt builder) and metadata.
 */
export interface CreateConversationOptions extends ConversationManagerOptions {
  /** The conversation's id, 1-200 characters; defaults to `crypto.randomUUID()`; the store rejects a taken one. */
  id?: string | undefined;
  /** The root system message's text; defaults to empty, and an empty root is never sent to the model. */
  systemPrompt?: string | undefined;
  /** A system template rendered instead of `systemPrompt` (needs `promptBuilder`); the root keeps it as `promptName`. */
  systemPromptName?: string | undefined;
  /** Values for the `systemPromptName` template; defaults to none. */
  params?: Readonly<Record<string, unknown>> | undefined;
  /** The conversation's initial stored metadata (JSON values); defaults to `{}`. */
  metadata?: Record<string, unknown> | undefined;
}

/** What `addMessage` takes: text, or a user prompt from the builder's library. */
export type MessageInput =
  | string
  | {
      /** The user template to render; the node keeps it as its `promptName`. */
      promptName: string;
      /** Values for the template; defaults to none. */
      params?: Readonly<Record<string, unknown>> | undefined;
      /** Which variant of the user template to render (one name may hold several); defaults to 0. */
      index?: number | undefined;
    };

/** Usage and cost summed over nodes. */
export interface UsageTotals {
  /** Nodes that carry usage: replies the model produced (user, tool and edited messages have none). */
  calls: number;
  /** Token counts summed over those replies. */
  usage: Usage;
  /** USD; calls whose price is unknown add nothing and are counted in `unpricedCalls`. */
  costUsd: number;
  /** Replies with usage but no known price: their cost is missing from `costUsd`. */
  unpricedCalls: number;
}

/** A completed call: the stored node and the model's response. */
export interface ConversationReply {
  /** The stored assistant node, after `afterResponse` middleware; it is now the active node. */
  node: ConversationNode;
  /** The model's response as it came back, before middleware rewrote the message. */
  response: CompletionResponse;
  /** The messages sent and what the budget dropped; `dropped` and `tokens` are 0 without a `contextBudget`. */
  budget: BudgetResult;
}

/**
 * Runs a tree-branched conversation against a model and keeps it in a store. Every change is
 * written as it happens (the new nodes and the active pointer, never the whole conversation),
 * naming the version it expects, so two writers never overwrite each other silently.
 *
 * @example
 * const chat = await ConversationManager.create({ model, store, systemPrompt: 'Be brief.' });
 * await chat.addMessage('What is BM25?');
 * const { node } = await chat.complete();
 * await chat.regenerate(); // a sibling reply; the first stays as another branch
 */
export class ConversationManager {
  readonly #options: ConversationManagerOptions;
  readonly #tree: ConversationTree;
  /** Retrieval results of this conversation: the same prompt and query asked again reuse them. */
  readonly #ragCache: RagResultCache = new MemoryRagResultCache({ maxEntries: 200 });
  #version: number;
  #metadata: Record<string, unknown>;

  private constructor(options: ConversationManagerOptions, tree: ConversationTree, version: number, metadata: Record<string, unknown>) {
    this.#options = options;
    this.#tree = tree;
    this.#version = version;
    this.#metadata = metadata;
  }

  /** Starts a conversation whose root is the system prompt (text, or rendered from the library). */
  static async create(options: CreateConversationOptions): Promise<ConversationManager> {
    let system = options.systemPrompt ?? '';
    let promptName: string | undefined;
    if (options.systemPromptName !== undefined) {
      if (options.promptBuilder === undefined) throw new ConversationUsageError('systemPromptName needs a promptBuilder');
      system = (await options.promptBuilder.renderSystemPrompt(options.systemPromptName, options.params ?? {})).content;
      promptName = options.systemPromptName;
    }
    const tree = ConversationTree.create({ id: options.id ?? crypto.randomUUID(), rootMessage: { role: 'system', content: system }, promptName });
    const header = await options.store.create({ id: tree.id, root: tree.root, metadata: options.metadata ?? {} });
    return new ConversationManager(options, tree, header.version, header.metadata);
  }

  /** Loads a stored conversation to continue it. */
  static async resume(id: string, options: ConversationManagerOptions): Promise<ConversationManager> {
    const snapshot = await options.store.load(id);
    if (snapshot === null) throw new ConversationUsageError(`no conversation "${id}"`);
    return new ConversationManager(options, ConversationTree.fromSnapshot(snapshot), snapshot.version, snapshot.metadata);
  }

  /** The conversation's id, as stored; fixed for the conversation's life. */
  get id(): string {
    return this.#tree.id;
  }

  /** The version of the stored conversation this manager last wrote or read. */
  get version(): number {
    return this.#version;
  }

  /** The node the next message or reply goes under: the end of the branch the model sees. */
  get activeNode(): ConversationNode {
    return this.#tree.activeNode;
  }

  /** The stored metadata as of this manager's last write or load; change it with `updateMetadata`. */
  get metadata(): Readonly<Record<string, unknown>> {
    return this.#metadata;
  }

  /** The messages the model sees: the active path, root first (an empty system root left out). */
  history(): Message[] {
    return withoutEmptyRoot(this.#tree.activePath()).map((n) => n.message);
  }

  /**
   * The node's address, its position among siblings from the root (`'0.1'`); throws
   * `ConversationTreeError` (`not-found`) for an unknown id.
   */
  addressOf(nodeId: string): string {
    return this.#tree.addressOf(nodeId);
  }

  /** The node at an address (`'0.1'`), or undefined. */
  nodeAt(address: string): ConversationNode | undefined {
    return this.#tree.nodeAt(address);
  }

  /** The node's children, in the order they were added. */
  children(nodeId: string): ConversationNode[] {
    return this.#tree.children(nodeId);
  }

  /** Every branch of the tree: one per leaf, with its address and its path from the root, in address order. */
  branches(): ConversationBranch[] {
    return this.#tree.branches();
  }

  /** Adds a user message under the active node and makes it active. */
  async addMessage(input: MessageInput): Promise<ConversationNode> {
    if (typeof input === 'string') return this.#append(this.#tree.activeNode.id, { role: 'user', content: input });
    const builder = this.#options.promptBuilder;
    if (builder === undefined) throw new ConversationUsageError(`adding the prompt "${input.promptName}" needs a promptBuilder`);
    const rendered = await builder.renderUserPrompt(input.promptName, input.params ?? {}, { index: input.index, ragCache: this.#ragCache });
    return this.#append(this.#tree.activeNode.id, { role: 'user', content: rendered.content }, {
      promptName: input.promptName,
      metadata: rendered.rag.length > 0 ? { rag: rendered.rag.map((r) => ({ adapter: r.config.adapter, query: r.query, items: r.items.map((i) => i.id) })) } : {},
    });
  }

  /** Answers a tool call of the active assistant message; the result is stored right after its call. */
  async addToolResult(toolCallId: string, content: string, options: { isError?: boolean } = {}): Promise<ConversationNode> {
    const call = this.#tree.activePath().reverse().find((n) => n.message.role === 'assistant' && n.message.toolCalls?.some((c) => c.id === toolCallId));
    if (call === undefined || call.message.role !== 'assistant') throw new ConversationUsageError(`no tool call "${toolCallId}" on the active path`);
    const toolName = call.message.toolCalls!.find((c) => c.id === toolCallId)!.name;
    return this.#append(this.#tree.activeNode.id, { role: 'tool', toolCallId, toolName, content, ...(options.isError ? { isError: true } : {}) });
  }

  /** Asks the model for the next reply on the active path, stores it under the active node, and makes it active. */
  async complete(request: Omit<CompletionRequest, 'messages'> = {}): Promise<ConversationReply> {
    return this.#completeUnder(this.#tree.activeNode.id, request);
  }

  /**
   * Streams the next reply. The reply is stored when the stream ends — also when the consumer
   * stops early or the stream fails midway: then what arrived is stored with `partial: true`.
   */
  async *stream(request: Omit<CompletionRequest, 'messages'> = {}): AsyncGenerator<StreamPart, ConversationNode | undefined> {
    const parentId = this.#tree.activeNode.id;
    const context = this.#context();
    const { messages, budget } = await this.#prepare(parentId, context);
    const { model } = this.#options;
    const accumulator = new StreamAccumulator(model.provider, model.modelId);
    const transform = composeStreamText(this.#options.middleware ?? [], context);
    const started = performance.now();
    let finished = false;
    let received = false;
    let stored: ConversationNode | undefined;
    try {
      for await (const part of model.stream({ ...this.#options.defaults, ...request, messages })) {
        received = true;
        const shown = transform !== undefined && part.type === 'text-delta' ? { ...part, text: transform(part.text) } : part;
        accumulator.add(part);
        if (part.type === 'finish') finished = true;
        yield shown;
      }
    } finally {
      // Runs on a normal end, a failure, and a consumer's early `break` (return()); a stream that
      // failed before any part stores nothing, like a failed complete().
      if (received) stored = await this.#storeReply(parentId, accumulator.response(), context, { partial: !finished, latencyMs: performance.now() - started, budget });
    }
    return stored;
  }

  /** A new sibling of `nodeId` holding `text` (same role), made active; the original branch stays. */
  async edit(nodeId: string, text: string): Promise<ConversationNode> {
    const node = this.#require(nodeId);
    if (node.parentId === null) throw new ConversationUsageError('the root cannot be edited; create a new conversation');
    const message: Message = node.message.role === 'tool' ? { ...node.message, content: text } : node.message.role === 'assistant' ? { role: 'assistant', content: text } : { ...node.message, content: text };
    return this.#append(node.parentId, message, { branchName: node.branchName });
  }

  /** A new reply as a sibling of an assistant node (default: the active one); the old reply stays. */
  async regenerate(nodeId?: string, request: Omit<CompletionRequest, 'messages'> = {}): Promise<ConversationReply> {
    const node = this.#require(nodeId ?? this.#tree.activeNode.id);
    if (node.message.role !== 'assistant' || node.parentId === null) throw new ConversationUsageError('only an assistant reply can be regenerated');
    return this.#completeUnder(node.parentId, request);
  }

  /** Makes a node (by id or address, e.g. "0.1") active: the model sees its path from then on. */
  async switchTo(nodeIdOrAddress: string): Promise<ConversationNode> {
    const node = this.#tree.setActive(nodeIdOrAddress);
    const header = await this.#options.store.setActiveNode(this.id, node.id, { expectedVersion: this.#version });
    this.#version = header.version;
    return node;
  }

  /** A new, independent conversation holding a copy of this one's nodes, with the same active node. */
  async fork(options: { id?: string; metadata?: Record<string, unknown> } = {}): Promise<ConversationManager> {
    const id = options.id ?? crypto.randomUUID();
    const nodes = structuredClone(this.#tree.nodes());
    const [root, ...rest] = nodes;
    const store = this.#options.store;
    const header = await store.create({ id, root: root!, metadata: { ...structuredClone(this.#metadata), ...options.metadata, forkedFrom: this.id } });
    if (rest.length > 0) await store.appendNodes(id, { nodes: rest, activeNodeId: this.#tree.activeNode.id, expectedVersion: header.version });
    return ConversationManager.resume(id, this.#options);
  }

  /** Merges `patch` into the conversation's stored metadata (a key set to `null` is removed). */
  async updateMetadata(patch: Readonly<Record<string, unknown>>): Promise<Readonly<Record<string, unknown>>> {
    const header = await this.#options.store.updateMetadata(this.id, patch, { expectedVersion: this.#version });
    this.#version = header.version;
    this.#metadata = header.metadata;
    return this.#metadata;
  }

  /** Usage and cost along the active path, and over nodes off it (abandoned branches). */
  usage(): {
    /** Totals over the nodes from the root to the active node. */
    activePath: UsageTotals;
    /** Totals over every other node: replies replaced by `regenerate`, branches switched away from. */
    abandoned: UsageTotals;
  } {
    const onPath = new Set(this.#tree.activePath().map((n) => n.id));
    const sum = (nodes: ConversationNode[]): UsageTotals => {
      const totals: UsageTotals = { calls: 0, usage: emptyUsage(), costUsd: 0, unpricedCalls: 0 };
      for (const node of nodes) {
        const usage = node.metadata.usage;
        if (usage === undefined) continue;
        totals.calls++;
        totals.usage = addUsage(totals.usage, usage);
        if (node.metadata.costUsd === undefined) totals.unpricedCalls++;
        else totals.costUsd += node.metadata.costUsd;
      }
      return totals;
    };
    const all = this.#tree.nodes();
    return { activePath: sum(all.filter((n) => onPath.has(n.id))), abandoned: sum(all.filter((n) => !onPath.has(n.id))) };
  }

  async #completeUnder(parentId: string, request: Omit<CompletionRequest, 'messages'>): Promise<ConversationReply> {
    const context = this.#context();
    const { messages, budget } = await this.#prepare(parentId, context);
    const started = performance.now();
    const response = await this.#options.model.complete({ ...this.#options.defaults, ...request, messages });
    const node = await this.#storeReply(parentId, response, context, { partial: false, latencyMs: performance.now() - started, budget });
    return { node, response, budget };
  }

  async #prepare(parentId: string, context: ConversationCallContext): Promise<{ messages: Message[]; budget: BudgetResult }> {
    const path = withoutEmptyRoot(this.#tree.pathTo(parentId));
    const messages = await runBeforeRequest(this.#options.middleware ?? [], path.map((n) => structuredClone(n.message)), context);
    const budget = this.#options.contextBudget === undefined ? { messages, dropped: 0, tokens: 0 } : await fitToBudget(this.#options.model, messages, this.#options.contextBudget);
    return { messages: budget.messages, budget };
  }

  async #storeReply(
    parentId: string,
    response: CompletionResponse,
    context: ConversationCallContext,
    details: { partial: boolean; latencyMs: number; budget: BudgetResult },
  ): Promise<ConversationNode> {
    let message: AssistantMessage = responseMessage(response);
    message = await runAfterResponse(this.#options.middleware ?? [], message, context);
    const cost = costFor(response.model, response.usage, { provider: response.provider });
    const metadata: NodeMetadata = {
      usage: response.usage,
      provider: response.provider,
      model: response.model,
      latencyMs: details.latencyMs,
      ...(cost.known ? { costUsd: cost.usd } : {}),
      ...(details.budget.dropped > 0 ? { contextDropped: details.budget.dropped, contextSummarized: details.budget.summary !== undefined } : {}),
    };
    return this.#append(parentId, message, { metadata, partial: details.partial || undefined });
  }

  async #append(parentId: string, message: Message, options: AddChildOptions = {}): Promise<ConversationNode> {
    const node = this.#tree.addChild(parentId, message, options);
    try {
      const header = await this.#options.store.appendNodes(this.id, { nodes: [node], activeNodeId: node.id, expectedVersion: this.#version });
      this.#version = header.version;
    } catch (error) {
      // The store refused (a conflict, a crash): the in-memory tree must not keep what was not stored.
      this.#tree.removeSubtree(node.id);
      throw error;
    }
    this.#tree.setActive(node.id);
    return node;
  }

  #require(nodeId: string): ConversationNode {
    const node = this.#tree.get(nodeId);
    if (node === undefined) throw new ConversationUsageError(`no node "${nodeId}" in conversation "${this.id}"`);
    return node;
  }

  #context(): ConversationCallContext {
    return { conversationId: this.id, metadata: this.#metadata, state: new Map() };
  }
}

/** A path without its root when the root is the empty system message of a conversation created without a system prompt. */
function withoutEmptyRoot(path: ConversationNode[]): ConversationNode[] {
  const root = path[0];
  return root !== undefined && root.message.role === 'system' && root.message.content === '' ? path.slice(1) : path;
}
