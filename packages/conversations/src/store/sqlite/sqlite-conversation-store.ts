import type Database from 'better-sqlite3';
import { ConversationConflictError, ConversationStoreError } from '../conversation-errors.js';
import { CONVERSATION_SCHEMA_VERSION, type ConversationHeader, type ConversationNode, type ConversationSnapshot } from '../conversation-record.js';
import type {
  AppendNodesInput,
  ConversationPage,
  ConversationStore,
  CreateConversationInput,
  ListConversationsOptions,
  SearchHit,
  WriteOptions,
} from '../conversation-store.js';
import { searchNode } from '../rules/conversation-search.js';
import { decodeListCursor, encodeListCursor } from '../rules/conversation-list-query.js';
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
import { defaultSchemaMigrations, type SchemaMigrations } from '../migrations/schema-migrations.js';
import { duplicateNodeError, missingAppendActiveNodeError, missingNodeError, missingParentError, planAppend, staleSeqError } from '../sql/append-plan.js';
import { searchableText } from '../sql/search-text.js';
import { loadBetterSqlite3 } from './load-better-sqlite3.js';
import { prepareSqliteConversationSchema } from './sqlite-conversation-schema.js';
import { decodeStoredHeader, decodeStoredNode, parseStoredJson } from '../sql/stored-record-decoder.js';

/** Options of `SqliteConversationStore.open`. */
export interface SqliteConversationStoreOptions {
  /** How long a write waits for another connection's write lock before failing with `SQLITE_BUSY`; default 5,000 ms. */
  busyTimeoutMs?: number | undefined;
  /**
   * `normal` (the default): in WAL mode a commit is in the WAL, in the operating system's cache,
   * before the call returns, so it survives the process being killed (SIGKILL included, which the
   * tests check 50 times); the last commits can be lost only if the operating system crashes or
   * the power fails before the WAL reaches the disk. `full`: every commit waits for an fsync of
   * the WAL, so it also survives power loss, at the cost of one disk sync per write.
   */
  synchronous?: 'normal' | 'full' | undefined;
  /** The migrations applied to older records on load; default `defaultSchemaMigrations`. */
  migrations?: SchemaMigrations | undefined;
}

interface ConversationRow {
  id: string;
  schema_version: string;
  version: number;
  active_node_id: string;
  root_node_id: string;
  metadata: string;
  created_at: string;
  updated_at: string;
}

interface SearchRow {
  conversation_id: string;
  record: string;
}

type MetadataFilter = Readonly<Record<string, string | number | boolean>>;

const HEADER_COLUMNS = 'id, schema_version, version, active_node_id, root_node_id, metadata, created_at, updated_at';

function prepareStatements(db: Database.Database) {
  return {
    insertConversation: db.prepare(
      `INSERT INTO conversations (${HEADER_COLUMNS}) VALUES (@id, @schemaVersion, @version, @activeNodeId, @rootNodeId, @metadata, @createdAt, @updatedAt)`,
    ),
    insertNode: db.prepare(
      `INSERT INTO conversation_nodes (conversation_id, id, parent_id, seq, schema_version, created_at, prompt_name, branch_name, partial, text, record)
       VALUES (@conversationId, @id, @parentId, @seq, @schemaVersion, @createdAt, @promptName, @branchName, @partial, @text, @record)`,
    ),
    // The optimistic-concurrency gate: one statement, so the version test and the write cannot be split.
    bumpVersion: db.prepare(
      `UPDATE conversations SET version = version + 1, active_node_id = coalesce(@activeNodeId, active_node_id), updated_at = @updatedAt
       WHERE id = @id AND version = @expectedVersion RETURNING ${HEADER_COLUMNS}`,
    ),
    bumpVersionWithMetadata: db.prepare(
      `UPDATE conversations SET version = version + 1, metadata = @metadata, updated_at = @updatedAt
       WHERE id = @id AND version = @expectedVersion RETURNING ${HEADER_COLUMNS}`,
    ),
    selectVersion: db.prepare('SELECT version FROM conversations WHERE id = ?').pluck(),
    selectHeader: db.prepare(`SELECT ${HEADER_COLUMNS} FROM conversations WHERE id = ?`),
    // One JSON column per node and no row objects: the cost of a 10,000-node load is mostly per column and per row.
    selectNodeRecords: db.prepare('SELECT record FROM conversation_nodes WHERE conversation_id = ? ORDER BY seq').pluck(),
    nodeExists: db.prepare('SELECT 1 FROM conversation_nodes WHERE conversation_id = ? AND id = ?').pluck(),
    maxSeq: db.prepare('SELECT max(seq) FROM conversation_nodes WHERE conversation_id = ?').pluck(),
    deleteConversation: db.prepare('DELETE FROM conversations WHERE id = ?'),
  };
}

function isSqliteError(error: unknown, code: string): boolean {
  // better-sqlite3's SqliteError, told by name: the driver is loaded lazily, in `open`.
  return error instanceof Error && error.name === 'SqliteError' && (error as { code?: unknown }).code === code;
}

function nodeParameters(conversationId: string, node: ConversationNode) {
  return {
    conversationId,
    id: node.id,
    parentId: node.parentId,
    seq: node.seq,
    schemaVersion: node.schemaVersion,
    createdAt: node.createdAt,
    promptName: node.promptName ?? null,
    branchName: node.branchName ?? null,
    partial: node.partial === undefined ? null : node.partial ? 1 : 0,
    text: searchableText(node.message),
    record: JSON.stringify(node),
  };
}

/**
 * SQL and parameters for equality on top-level metadata fields. `json_each` compares the key as
 * text and the JSON type as well as the value, so `true` never matches `1` nor `"1"` matches `1`,
 * and a key may hold any character (no JSON path is built from it).
 */
function metadataConditions(filter: MetadataFilter, column: string): { sql: string[]; parameters: unknown[] } {
  const sql: string[] = [];
  const parameters: unknown[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (typeof value === 'boolean') {
      sql.push(`EXISTS (SELECT 1 FROM json_each(${column}) WHERE key = ? AND type = ?)`);
      parameters.push(key, value ? 'true' : 'false');
    } else if (typeof value === 'number') {
      sql.push(`EXISTS (SELECT 1 FROM json_each(${column}) WHERE key = ? AND type IN ('integer', 'real') AND atom = ?)`);
      parameters.push(key, value);
    } else {
      sql.push(`EXISTS (SELECT 1 FROM json_each(${column}) WHERE key = ? AND type = 'text' AND atom = ?)`);
      parameters.push(key, value);
    }
  }
  return { sql, parameters };
}

/**
 * A `ConversationStore` in a SQLite file, through `better-sqlite3`, in WAL mode with a busy
 * timeout, so several processes can share one file. Every write is one IMMEDIATE transaction
 * whose first statement is `UPDATE … WHERE id = ? AND version = ?`: a stale expected version
 * changes no row and becomes a `ConversationConflictError`, and nothing is written. An append
 * inserts only the new node rows and moves the header's version and active pointer, so its cost
 * does not grow with the conversation. Statements are prepared once, when the store opens.
 *
 * Durability: see `SqliteConversationStoreOptions.synchronous`.
 */
export class SqliteConversationStore implements ConversationStore {
  readonly #db: Database.Database;
  readonly #statements: ReturnType<typeof prepareStatements>;
  readonly #migrations: SchemaMigrations;
  /** Prepared statements of `list` and `search`, by their SQL (one per shape of filter). */
  readonly #queryCache = new Map<string, Database.Statement>();
  #closed = false;

  private constructor(db: Database.Database, migrations: SchemaMigrations) {
    this.#db = db;
    this.#statements = prepareStatements(db);
    this.#migrations = migrations;
  }

  /**
   * Opens (creating if needed) the store in the SQLite file at `path`, or in memory for
   * `':memory:'`. Fails with reason `unsupported-schema` when the file holds conversation tables
   * of a newer version than this code knows.
   */
  static async open(path: string, options: SqliteConversationStoreOptions = {}): Promise<SqliteConversationStore> {
    const Sqlite = await loadBetterSqlite3();
    const db = new Sqlite(path, { timeout: options.busyTimeoutMs ?? 5_000 });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
      db.pragma('foreign_keys = ON');
      prepareSqliteConversationSchema(db, `SQLite database ${path}`);
      return new SqliteConversationStore(db, options.migrations ?? defaultSchemaMigrations);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async create(input: CreateConversationInput): Promise<ConversationHeader> {
    this.#assertOpen();
    const data = parseCreateInput(input);
    const header: ConversationHeader = {
      schemaVersion: CONVERSATION_SCHEMA_VERSION,
      id: data.id,
      version: 1,
      activeNodeId: data.root.id,
      rootNodeId: data.root.id,
      metadata: data.metadata,
      createdAt: data.createdAt,
      updatedAt: data.createdAt,
    };
    const metadata = JSON.stringify(header.metadata);
    const root = nodeParameters(data.id, data.root);
    this.#db
      .transaction(() => {
        try {
          this.#statements.insertConversation.run({ ...header, metadata });
        } catch (error) {
          if (isSqliteError(error, 'SQLITE_CONSTRAINT_PRIMARYKEY')) {
            throw new ConversationStoreError('conflict', 'a conversation with this id exists', { conversationId: data.id, retryable: false });
          }
          throw error;
        }
        this.#statements.insertNode.run(root);
      })
      .immediate();
    // A copy: the returned metadata is not an object the store keeps or the caller passed.
    return { ...header, metadata: JSON.parse(metadata) as Record<string, unknown> };
  }

  async appendNodes(conversationId: string, input: AppendNodesInput): Promise<ConversationHeader> {
    this.#assertOpen();
    const id = parseConversationId(conversationId);
    const data = parseAppendInput(id, input);
    const rows = data.nodes.map((node) => nodeParameters(id, node));
    const s = this.#statements;
    return this.#db
      .transaction((): ConversationHeader => {
        const row = s.bumpVersion.get({ id, expectedVersion: data.expectedVersion, activeNodeId: data.activeNodeId ?? null, updatedAt: new Date().toISOString() }) as
          | ConversationRow
          | undefined;
        if (row === undefined) throw this.#notWritten(id, data.expectedVersion);
        // After the version check: a stale write is a conflict, whatever its nodes.
        const plan = planAppend(id, data.nodes);
        for (const parentId of plan.storedParentIds) {
          if (s.nodeExists.get(id, parentId) === undefined) throw missingParentError(id, parentId);
        }
        const storedMaxSeq = s.maxSeq.get(id) as number | null;
        if (storedMaxSeq !== null && plan.firstSeq <= storedMaxSeq) throw staleSeqError(id, plan.firstSeq, storedMaxSeq);
        for (const node of rows) {
          try {
            s.insertNode.run(node);
          } catch (error) {
            if (isSqliteError(error, 'SQLITE_CONSTRAINT_PRIMARYKEY')) throw duplicateNodeError(id, node.id);
            throw error;
          }
        }
        if (data.activeNodeId !== undefined && !plan.newNodeIds.has(data.activeNodeId) && s.nodeExists.get(id, data.activeNodeId) === undefined) {
          throw missingAppendActiveNodeError(id, data.activeNodeId);
        }
        return this.#headerFromRow(row);
      })
      .immediate();
  }

  async setActiveNode(conversationId: string, nodeId: string, options: WriteOptions): Promise<ConversationHeader> {
    this.#assertOpen();
    const id = parseConversationId(conversationId);
    const node = parseNodeId(nodeId, id);
    const expectedVersion = parseWriteOptions(id, options);
    const s = this.#statements;
    return this.#db
      .transaction((): ConversationHeader => {
        const row = s.bumpVersion.get({ id, expectedVersion, activeNodeId: node, updatedAt: new Date().toISOString() }) as ConversationRow | undefined;
        if (row === undefined) throw this.#notWritten(id, expectedVersion);
        if (s.nodeExists.get(id, node) === undefined) throw missingNodeError(id, node);
        return this.#headerFromRow(row);
      })
      .immediate();
  }

  async updateMetadata(conversationId: string, patch: Readonly<Record<string, unknown>>, options: WriteOptions): Promise<ConversationHeader> {
    this.#assertOpen();
    const id = parseConversationId(conversationId);
    const changes = parseMetadataPatch(id, patch);
    const expectedVersion = parseWriteOptions(id, options);
    const s = this.#statements;
    return this.#db
      .transaction((): ConversationHeader => {
        // The read and the versioned write share one IMMEDIATE transaction: no writer can come between.
        const current = s.selectHeader.get(id) as ConversationRow | undefined;
        if (current === undefined || current.version !== expectedVersion) throw this.#notWritten(id, expectedVersion);
        const merged = this.#headerFromRow(current).metadata;
        for (const [key, value] of Object.entries(changes)) {
          if (value === null) delete merged[key];
          else merged[key] = value;
        }
        const row = s.bumpVersionWithMetadata.get({ id, expectedVersion, metadata: JSON.stringify(merged), updatedAt: new Date().toISOString() }) as ConversationRow;
        return this.#headerFromRow(row);
      })
      .immediate();
  }

  async load(conversationId: string): Promise<ConversationSnapshot | null> {
    this.#assertOpen();
    const id = parseConversationId(conversationId);
    const s = this.#statements;
    // One read transaction: the header and the nodes come from the same snapshot of the WAL.
    const rows = this.#db.transaction(() => {
      const header = s.selectHeader.get(id) as ConversationRow | undefined;
      return header === undefined ? undefined : { header, records: s.selectNodeRecords.all(id) as string[] };
    })();
    if (rows === undefined) return null;
    const header = this.#headerFromRow(rows.header);
    const nodes = rows.records.map((record, index) => this.#nodeFromRecord(record, id, index));
    return { ...header, nodes };
  }

  async list(options?: ListConversationsOptions): Promise<ConversationPage> {
    this.#assertOpen();
    const data = parseListOptions(options);
    const where: string[] = [];
    const parameters: unknown[] = [];
    // `updated_at` is canonical ISO text, so comparing canonical text compares times.
    if (data.updatedAfterMs !== undefined) {
      where.push('updated_at > ?');
      parameters.push(new Date(data.updatedAfterMs).toISOString());
    }
    if (data.updatedBeforeMs !== undefined) {
      where.push('updated_at < ?');
      parameters.push(new Date(data.updatedBeforeMs).toISOString());
    }
    if (data.cursor !== undefined) {
      const position = decodeListCursor(data.cursor);
      const updatedAt = new Date(position.updatedAtMs).toISOString();
      where.push('(updated_at < ? OR (updated_at = ? AND id < ?))');
      parameters.push(updatedAt, updatedAt, position.id);
    }
    const filter = metadataConditions(data.metadata, 'metadata');
    where.push(...filter.sql);
    parameters.push(...filter.parameters);
    const sql = `SELECT ${HEADER_COLUMNS} FROM conversations${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`} ORDER BY updated_at DESC, id DESC LIMIT ?`;
    // One row more than the page tells whether there is a next page.
    const rows = this.#query(sql).all(...parameters, data.limit + 1) as ConversationRow[];
    const items = rows.slice(0, data.limit).map((row) => this.#headerFromRow(row));
    const last = items.at(-1);
    return rows.length > data.limit && last !== undefined ? { items, nextCursor: encodeListCursor(last) } : { items };
  }

  async search(text: string, options?: { limit?: number | undefined; metadata?: ListConversationsOptions['metadata'] }): Promise<SearchHit[]> {
    this.#assertOpen();
    const data = parseSearchInput(text, options);
    const queryLower = data.text.toLowerCase();
    const filter = metadataConditions(data.metadata, 'c.metadata');
    const join = filter.sql.length === 0 ? '' : ' JOIN conversations AS c ON c.id = n.conversation_id';
    // `instr` is a plain substring test: the query is literal text, with no pattern characters.
    const sql =
      `SELECT n.conversation_id, n.record FROM conversation_nodes AS n${join} WHERE instr(n.text, ?) > 0` +
      `${filter.sql.map((condition) => ` AND ${condition}`).join('')} ORDER BY n.created_at DESC, n.conversation_id, n.seq DESC LIMIT ?`;
    const rows = this.#query(sql).all(queryLower, ...filter.parameters, data.limit) as SearchRow[];
    const hits: SearchHit[] = [];
    for (const row of rows) {
      const hit = searchNode(row.conversation_id, this.#nodeFromRecord(row.record, row.conversation_id, -1), queryLower);
      if (hit !== undefined) hits.push(hit);
    }
    return hits;
  }

  async delete(conversationId: string): Promise<boolean> {
    this.#assertOpen();
    const id = parseConversationId(conversationId);
    // The nodes go with it (ON DELETE CASCADE), in the statement's own transaction.
    return this.#statements.deleteConversation.run(id).changes > 0;
  }

  /** Closes the database; the store is not used after. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new ConversationStoreError('closed', 'the store is closed');
  }

  /** Why a versioned write changed no row: the conversation is missing, or at another version. */
  #notWritten(conversationId: string, expectedVersion: number): ConversationStoreError {
    const actual = this.#statements.selectVersion.get(conversationId) as number | undefined;
    if (actual === undefined) return new ConversationStoreError('not-found', 'no such conversation', { conversationId });
    return new ConversationConflictError(conversationId, expectedVersion, actual);
  }

  #headerFromRow(row: ConversationRow): ConversationHeader {
    const fields = {
      schemaVersion: row.schema_version,
      id: row.id,
      version: row.version,
      activeNodeId: row.active_node_id,
      rootNodeId: row.root_node_id,
      metadata: parseStoredJson(row.metadata, () => 'the stored conversation metadata', row.id),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
    return decodeStoredHeader(fields, this.#migrations, row.id);
  }

  #nodeFromRecord(record: string, conversationId: string, index: number): ConversationNode {
    const parsed = parseStoredJson(record, () => (index < 0 ? 'a stored node' : `stored node #${index + 1}`), conversationId);
    return decodeStoredNode(parsed, this.#migrations, conversationId);
  }

  #query(sql: string): Database.Statement {
    let statement = this.#queryCache.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#queryCache.set(sql, statement);
    }
    return statement;
  }
}
