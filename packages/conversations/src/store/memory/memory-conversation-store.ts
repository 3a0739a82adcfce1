import { ConversationStoreError } from '../conversation-errors.js';
import type { ConversationHeader, ConversationSnapshot } from '../conversation-record.js';
import type {
  AppendNodesInput,
  ConversationPage,
  ConversationStore,
  CreateConversationInput,
  ListConversationsOptions,
  SearchHit,
  WriteOptions,
} from '../conversation-store.js';
import { pageConversations, metadataMatches } from '../rules/conversation-list-query.js';
import { ConversationState } from '../rules/conversation-state.js';
import {
  parseAppendInput,
  parseConversationId,
  parseCreateInput,
  parseListOptions,
  parseMetadataPatch,
  parseNodeId,
  parseSearchInput,
  parseWriteOptions,
} from '../rules/conversation-store-input.js';
import { createdAtMs, SearchHitCollector, searchNode } from '../rules/conversation-search.js';

/**
 * A `ConversationStore` in process memory: for tests, demos and short-lived programs. It has the
 * same semantics as the durable stores (it passes the same conformance suite), copies everything
 * in and out (no caller ever shares an object with it), and loses everything when the process ends.
 * Every call completes in one synchronous step, so concurrent writes are serialized by the event loop.
 */
export class MemoryConversationStore implements ConversationStore {
  readonly #conversations = new Map<string, ConversationState>();
  #closed = false;

  async create(input: CreateConversationInput): Promise<ConversationHeader> {
    this.#assertOpen();
    const parsed = parseCreateInput(input);
    if (this.#conversations.has(parsed.id)) throw new ConversationStoreError('conflict', 'a conversation with this id exists', { conversationId: parsed.id, retryable: false });
    const state = ConversationState.create(parsed, true);
    this.#conversations.set(parsed.id, state);
    return structuredClone(state.header);
  }

  async appendNodes(conversationId: string, input: AppendNodesInput): Promise<ConversationHeader> {
    this.#assertOpen();
    const id = parseConversationId(conversationId);
    const parsed = parseAppendInput(id, input);
    const state = this.#require(id);
    state.checkVersion(parsed.expectedVersion);
    state.checkAppend(parsed.nodes, parsed.activeNodeId);
    const header = state.applyAppend(state.version + 1, new Date().toISOString(), parsed.nodes, parsed.activeNodeId ?? state.header.activeNodeId);
    return structuredClone(header);
  }

  async setActiveNode(conversationId: string, nodeId: string, options: WriteOptions): Promise<ConversationHeader> {
    this.#assertOpen();
    const id = parseConversationId(conversationId);
    const node = parseNodeId(nodeId, id);
    const expectedVersion = parseWriteOptions(id, options);
    const state = this.#require(id);
    state.checkVersion(expectedVersion);
    state.checkActive(node);
    return structuredClone(state.applyActive(state.version + 1, new Date().toISOString(), node));
  }

  async updateMetadata(conversationId: string, patch: Readonly<Record<string, unknown>>, options: WriteOptions): Promise<ConversationHeader> {
    this.#assertOpen();
    const id = parseConversationId(conversationId);
    const parsedPatch = parseMetadataPatch(id, patch);
    const expectedVersion = parseWriteOptions(id, options);
    const state = this.#require(id);
    state.checkVersion(expectedVersion);
    return structuredClone(state.applyMetadata(state.version + 1, new Date().toISOString(), parsedPatch));
  }

  async load(conversationId: string): Promise<ConversationSnapshot | null> {
    this.#assertOpen();
    const state = this.#conversations.get(parseConversationId(conversationId));
    if (state === undefined) return null;
    return structuredClone({ ...state.header, nodes: state.nodes! });
  }

  /** Scans every conversation: O(n log n) in the number of conversations. */
  async list(options?: ListConversationsOptions): Promise<ConversationPage> {
    this.#assertOpen();
    const parsed = parseListOptions(options);
    const headers = [...this.#conversations.values()].map((state) => state.header);
    return structuredClone(pageConversations(headers, parsed));
  }

  /** Scans every node's text: O(total text). */
  async search(text: string, options?: { limit?: number | undefined; metadata?: ListConversationsOptions['metadata'] }): Promise<SearchHit[]> {
    this.#assertOpen();
    const parsed = parseSearchInput(text, options);
    const queryLower = parsed.text.toLowerCase();
    const collector = new SearchHitCollector(parsed.limit);
    for (const state of this.#conversations.values()) {
      if (!metadataMatches(state.header.metadata, parsed.metadata)) continue;
      for (const node of state.nodes!) {
        const hit = searchNode(state.id, node, queryLower);
        if (hit !== undefined) collector.add({ hit, createdAtMs: createdAtMs(node), seq: node.seq });
      }
    }
    return collector.result();
  }

  async delete(conversationId: string): Promise<boolean> {
    this.#assertOpen();
    return this.#conversations.delete(parseConversationId(conversationId));
  }

  /** Drops everything; later calls fail with `closed`. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#conversations.clear();
  }

  #assertOpen(): void {
    if (this.#closed) throw new ConversationStoreError('closed', 'the store is closed');
  }

  #require(conversationId: string): ConversationState {
    const state = this.#conversations.get(conversationId);
    if (state === undefined) throw new ConversationStoreError('not-found', 'no such conversation', { conversationId });
    return state;
  }
}
