import type { ConversationHeader, ConversationNode, ConversationSnapshot } from './conversation-record.js';

/** What `create` takes: the header's own fields and the root node (version starts at 1). */
export interface CreateConversationInput {
  /** The conversation's id, 1-200 characters; one that exists already is a `conflict`. */
  id: string;
  /** The root node: `parentId` null, written in the current schema major; it becomes the active node. */
  root: ConversationNode;
  /** Free-form JSON data kept with the conversation; defaults to `{}`. */
  metadata?: Record<string, unknown> | undefined;
  /** Defaults to now. */
  createdAt?: string | undefined;
}

/** Every write names the version it expects; the store refuses a stale one with `ConversationConflictError`. */
export interface WriteOptions {
  /** The conversation's `version` as the writer last saw it; the write succeeds only if it is still that. */
  expectedVersion: number;
}

export interface AppendNodesInput extends WriteOptions {
  /** New nodes, parents before children; each parent exists already or comes earlier in the list. */
  nodes: readonly ConversationNode[];
  /** The node to make active in the same write (often the last appended). */
  activeNodeId?: string | undefined;
}

/** Filters and paging of `list`. */
export interface ListConversationsOptions {
  /** Equality on top-level metadata fields (string, number or boolean values). */
  metadata?: Readonly<Record<string, string | number | boolean>> | undefined;
  /** ISO 8601 with offset; only conversations updated strictly after this time. */
  updatedAfter?: string | undefined;
  /** ISO 8601 with offset; only conversations updated strictly before this time. */
  updatedBefore?: string | undefined;
  /** Default 50, at most 1,000. */
  limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
}

/** A page of conversations, most recently updated first. */
export interface ConversationPage {
  /** Headers only (no nodes), newest `updatedAt` first, ties by id descending; at most `limit`. */
  items: ConversationHeader[];
  /** Pass to get the next page; absent on the last one. */
  nextCursor?: string | undefined;
}

/** A node whose text matched a `search`. */
export interface SearchHit {
  /** The conversation that holds the matching node. */
  conversationId: string;
  /** The id of the node whose message text matched; `load` the conversation to get it. */
  nodeId: string;
  /** A short excerpt around the match. */
  snippet: string;
}

/**
 * Durable storage for conversation trees. Appends write the new nodes and the active pointer
 * only, never the whole conversation. Every write is atomic and names the version it expects.
 * Every backend (memory, file, SQLite, PostgreSQL) passes the same conformance suite.
 *
 * Errors thrown on purpose are `ConversationStoreError` (with a `reason`), or its subclass
 * `ConversationConflictError` for a stale version. A call that throws has written nothing, except
 * an `unavailable` write (a database connection lost as it committed), which may have been
 * stored: every write names its expected version (or, for `create`, its id), so running it again
 * is safe, and one that was stored fails as a `conflict`.
 */
export interface ConversationStore {
  /** Stores a new conversation at version 1; an id that exists is a `conflict`. */
  create(input: CreateConversationInput): Promise<ConversationHeader>;
  /** Appends nodes (and optionally moves the active pointer) in one write; returns the new header. */
  appendNodes(conversationId: string, input: AppendNodesInput): Promise<ConversationHeader>;
  /** Moves the active pointer to an existing node. */
  setActiveNode(conversationId: string, nodeId: string, options: WriteOptions): Promise<ConversationHeader>;
  /** Merges `patch` into the metadata (a key set to `null` is removed). */
  updateMetadata(conversationId: string, patch: Readonly<Record<string, unknown>>, options: WriteOptions): Promise<ConversationHeader>;
  /** The whole conversation with every node, migrated to the current schema; `null` if it does not exist. */
  load(conversationId: string): Promise<ConversationSnapshot | null>;
  /** Conversations by metadata and update time, most recently updated first, a page at a time. */
  list(options?: ListConversationsOptions): Promise<ConversationPage>;
  /** Nodes whose message text contains `text` (case-insensitive), newest first. */
  search(text: string, options?: { limit?: number | undefined; metadata?: ListConversationsOptions['metadata'] }): Promise<SearchHit[]>;
  /** Removes a conversation and its nodes; false if it did not exist. */
  delete(conversationId: string): Promise<boolean>;
  /** Releases the store's resources (files, connections); the store is not used after. */
  close(): Promise<void>;
}
