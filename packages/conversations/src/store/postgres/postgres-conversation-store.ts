import { createHash } from 'node:crypto';
import { KitError } from '@kit/llm';
import { classifyConnectionError, type ConnectionFailure } from '@kit/prompts/postgres';
import type pg from 'pg';
import type { Pool, PoolClient } from 'pg';
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
import { decodeListCursor, encodeListCursor } from '../rules/conversation-list-query.js';
import { searchNode } from '../rules/conversation-search.js';
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
import { decodeStoredHeader, decodeStoredNode } from '../sql/stored-record-decoder.js';
import { preparePostgresConversationSchema, quotedSchemaName } from './postgres-conversation-schema.js';
import { loadPg } from './load-pg.js';

/** Options of `PostgresConversationStore.connect`. */
export interface PostgresConversationStoreOptions {
  /** The PostgreSQL schema that holds the tables (created if missing); default `public`. Letters, digits and `_`. */
  schema?: string | undefined;
  /** Pool size when connecting by URL; default 10. */
  maxConnections?: number | undefined;
  /** The migrations applied to older records on load; default `defaultSchemaMigrations`. */
  migrations?: SchemaMigrations | undefined;
  /**
   * Whether `load` and `append`, the statements of every turn, run as named prepared statements,
   * so that PostgreSQL parses and plans them once per connection instead of on every call
   * (measured on loopback: about a millisecond per turn). Default true. Turn it off behind a
   * connection pooler that does not keep prepared statements across transactions (PgBouncer in
   * transaction mode before 1.21).
   */
  preparedStatements?: boolean | undefined;
}

type Queryable = Pick<Pool | PoolClient, 'query'>;

interface ConversationRow {
  id: string;
  schema_version: string;
  version: string;
  active_node_id: string;
  root_node_id: string;
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: Date;
}

interface SearchRow {
  conversation_id: string;
  record: unknown;
}

type MetadataFilter = Readonly<Record<string, string | number | boolean>>;

const HEADER_COLUMNS = 'id, schema_version, version, active_node_id, root_node_id, metadata, created_at, updated_at';

/** PostgreSQL text cannot hold U+0000 (`jsonb` not even escaped); the store strips it from the search column only. */
const NUL = /\u0000/g;

function isPgError(error: unknown, code: string): error is { code: string; constraint?: string } {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * What a failed call had done when it failed: only read, certainly written nothing (it never
 * reached the server, or its transaction had not committed), or sent a write whose outcome is
 * unknown (a single-statement write, or a `COMMIT`, in flight when the connection broke).
 */
type CallOutcome = 'read' | 'not-written' | 'unknown';

/**
 * The error a store call throws for `error`: Kit's own errors as they are; a serialization
 * failure or deadlock as a `conflict` (the server rolled the transaction back, so a fresh attempt
 * can succeed); a refused, lost or not-yet-accepted connection as `unavailable`; anything else
 * (bad SQL, a bug) unchanged.
 */
function storeFailure(error: unknown, outcome: CallOutcome, conversationId?: string): unknown {
  if (error instanceof KitError) return error;
  if (isPgError(error, '40001') || isPgError(error, '40P01')) {
    const message = `the database aborted the transaction in favour of a concurrent one (${detail(error)}); nothing was written`;
    return new ConversationStoreError('conflict', message, { conversationId, cause: error });
  }
  const failure = classifyConnectionError(error);
  if (failure === undefined) return error;
  return new ConversationStoreError('unavailable', unavailableMessage(failure, outcome, detail(error)), { conversationId, cause: error });
}

function unavailableMessage(failure: ConnectionFailure, outcome: CallOutcome, why: string): string {
  if (failure === 'unreachable') return `cannot reach the database (${why})${outcome === 'read' ? '' : '; nothing was written'}`;
  if (outcome === 'read') return `lost the connection to the database (${why})`;
  if (outcome === 'not-written') return `lost the connection to the database (${why}) before the write committed; nothing was written`;
  return (
    `lost the connection to the database (${why}) during the write, which may or may not have been stored; running it again is safe:` +
    ' it names its expected version (a create, its id), so if it was stored the second attempt fails as a conflict'
  );
}

/** The driver's words for a failure: its message, else its code (Node's AggregateError of refused addresses has no message). */
function detail(error: unknown): string {
  const fields = error as { message?: unknown; code?: unknown };
  if (typeof fields.message === 'string' && fields.message !== '') return fields.message;
  return typeof fields.code === 'string' ? fields.code : String(error);
}

/** `query`'s result, or its failure as the store reports it (see {@link storeFailure}). */
async function guarded<T>(query: Promise<T>, outcome: CallOutcome, conversationId?: string): Promise<T> {
  try {
    return await query;
  } catch (error) {
    throw storeFailure(error, outcome, conversationId);
  }
}

/** A value PostgreSQL refuses to store as text (U+0000) is the caller's input: `invalid`, not a crash. */
function asInputError(error: unknown, conversationId: string): unknown {
  if (isPgError(error, '22P05') || isPgError(error, '22021')) {
    return new ConversationStoreError('invalid', 'PostgreSQL cannot store the character U+0000 in ids, timestamps, names or metadata', { conversationId, cause: error });
  }
  return error;
}

/**
 * A `ConversationStore` in PostgreSQL, through `pg`. Every write is one transaction whose first
 * statement is `UPDATE … WHERE id = $1 AND version = $2 RETURNING …`: the row lock serializes
 * concurrent writers to one conversation, and a writer whose expected version is stale changes
 * no row and gets a `ConversationConflictError`, with nothing written. An append inserts only the
 * new node rows (one `INSERT … SELECT FROM unnest(…)`) and moves the version and active pointer.
 * `load` reads the header and every node in one statement, so from one snapshot.
 *
 * A refused or lost connection (the server restarting, say) fails the call with a retryable
 * `ConversationStoreError('unavailable')` whose cause is the driver's error; the pool connects
 * anew on the next call. A serialization failure or deadlock is a retryable `conflict`.
 */
export class PostgresConversationStore implements ConversationStore {
  readonly #pool: Pool;
  readonly #ownsPool: boolean;
  readonly #migrations: SchemaMigrations;
  readonly #sql: ReturnType<typeof statements>;
  /** The two statements every turn runs, named (prepared once per connection) unless turned off. */
  readonly #append: PerTurnStatement;
  readonly #load: PerTurnStatement;
  #closed = false;

  private constructor(pool: Pool, ownsPool: boolean, schema: string, migrations: SchemaMigrations, prepared: boolean) {
    this.#pool = pool;
    this.#ownsPool = ownsPool;
    this.#migrations = migrations;
    this.#sql = statements(quotedSchemaName(schema));
    this.#append = perTurnStatement(this.#sql.append, prepared);
    this.#load = perTurnStatement(this.#sql.load, prepared);
  }

  /**
   * Connects to the database at `target` (a connection URL: the store owns the pool and ends it
   * on `close`) or through a `pg.Pool` (the caller's: `close` leaves it open), creates the schema
   * and tables if missing, and fails with `unsupported-schema` when they are of a newer version.
   */
  static async connect(target: string | Pool, options: PostgresConversationStoreOptions = {}): Promise<PostgresConversationStore> {
    const schema = options.schema ?? 'public';
    quotedSchemaName(schema);
    const ownsPool = typeof target === 'string';
    const pool = typeof target === 'string' ? new (await loadPg()).Pool({ connectionString: target, max: options.maxConnections ?? 10 }) : target;
    // An idle client of our own pool losing its connection must not crash the process; the next query reports it.
    if (ownsPool) pool.on('error', () => undefined);
    const store = new PostgresConversationStore(pool, ownsPool, schema, options.migrations ?? defaultSchemaMigrations, options.preparedStatements ?? true);
    try {
      await store.#transaction((client) => preparePostgresConversationSchema(client, schema));
      return store;
    } catch (error) {
      if (ownsPool) await pool.end();
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
    await this.#transaction(async (client) => {
      try {
        await client.query(this.#sql.insertConversation, [
          header.id,
          header.schemaVersion,
          header.version,
          header.activeNodeId,
          header.rootNodeId,
          JSON.stringify(header.metadata),
          header.createdAt,
          header.updatedAt,
        ]);
      } catch (error) {
        if (isPgError(error, '23505')) throw new ConversationStoreError('conflict', 'a conversation with this id exists', { conversationId: data.id, retryable: false });
        throw asInputError(error, data.id);
      }
      await this.#insertNodes(client, data.id, [data.root]);
    }, data.id);
    return structuredClone(header);
  }

  async appendNodes(conversationId: string, input: AppendNodesInput): Promise<ConversationHeader> {
    this.#assertOpen();
    const id = parseConversationId(conversationId);
    const data = parseAppendInput(id, input);
    let plan;
    try {
      plan = planAppend(id, data.nodes);
    } catch (error) {
      // A stale write is a conflict, whatever its nodes.
      const stale = await guarded(this.#staleVersionError(id, data.expectedVersion), 'not-written', id);
      throw stale ?? error;
    }
    const wanted = new Set(plan.storedParentIds);
    if (data.activeNodeId !== undefined && !plan.newNodeIds.has(data.activeNodeId)) wanted.add(data.activeNodeId);
    // One statement (one round trip, its own transaction): the version check, the checks against
    // the stored nodes, the header update and the node inserts. It writes all or nothing.
    let result;
    try {
      result = await this.#pool.query<ConversationRow>({
        ...this.#append,
        values: [id, data.expectedVersion, data.activeNodeId ?? null, new Date(), [...wanted], plan.firstSeq, ...nodeColumns(data.nodes)],
      });
    } catch (error) {
      if (isPgError(error, '23505') && error.constraint === 'conversation_nodes_pkey') throw duplicateNodeError(id);
      throw storeFailure(asInputError(error, id), 'unknown', id);
    }
    const row = result.rows[0];
    if (row !== undefined) return this.#headerFromRow(row);
    // Nothing was written: find out why (a second read, on this path only).
    const diagnosis = this.#pool.query<{ version: string; max_seq: string | null; found: string[] | null }>(this.#sql.appendDiagnosis, [id, [...wanted]]);
    const state = (await guarded(diagnosis, 'not-written', id)).rows[0];
    if (state === undefined) throw new ConversationStoreError('not-found', 'no such conversation', { conversationId: id });
    if (Number(state.version) !== data.expectedVersion) throw new ConversationConflictError(id, data.expectedVersion, Number(state.version));
    const found = new Set(state.found ?? []);
    for (const parentId of plan.storedParentIds) if (!found.has(parentId)) throw missingParentError(id, parentId);
    if (data.activeNodeId !== undefined && !plan.newNodeIds.has(data.activeNodeId) && !found.has(data.activeNodeId)) throw missingAppendActiveNodeError(id, data.activeNodeId);
    if (state.max_seq !== null && plan.firstSeq <= Number(state.max_seq)) throw staleSeqError(id, plan.firstSeq, Number(state.max_seq));
    // The checks pass now, so another writer changed the conversation in between: a conflict.
    throw new ConversationConflictError(id, data.expectedVersion, Number(state.version));
  }

  async setActiveNode(conversationId: string, nodeId: string, options: WriteOptions): Promise<ConversationHeader> {
    this.#assertOpen();
    const id = parseConversationId(conversationId);
    const node = parseNodeId(nodeId, id);
    const expectedVersion = parseWriteOptions(id, options);
    return this.#transaction(async (client) => {
      const row = await this.#bump(client, id, expectedVersion, node);
      const exists = await client.query(this.#sql.nodeExists, [id, node]);
      if (exists.rowCount === 0) throw missingNodeError(id, node);
      return this.#headerFromRow(row);
    }, id);
  }

  async updateMetadata(conversationId: string, patch: Readonly<Record<string, unknown>>, options: WriteOptions): Promise<ConversationHeader> {
    this.#assertOpen();
    const id = parseConversationId(conversationId);
    const changes = parseMetadataPatch(id, patch);
    const expectedVersion = parseWriteOptions(id, options);
    const removed = Object.keys(changes).filter((key) => changes[key] === null);
    const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== null));
    return this.#transaction(async (client) => {
      // A shallow merge in one versioned statement: `||` replaces top-level keys, `- text[]` removes the nulled ones.
      let result;
      try {
        result = await client.query<ConversationRow>(this.#sql.bumpWithMetadata, [id, expectedVersion, JSON.stringify(set), removed, new Date()]);
      } catch (error) {
        throw asInputError(error, id);
      }
      const row = result.rows[0];
      if (row === undefined) throw await this.#notWritten(client, id, expectedVersion);
      return this.#headerFromRow(row);
    }, id);
  }

  async load(conversationId: string): Promise<ConversationSnapshot | null> {
    this.#assertOpen();
    const id = parseConversationId(conversationId);
    const result = await guarded(this.#pool.query<ConversationRow & { records: unknown[] | null }>({ ...this.#load, values: [id] }), 'read', id);
    const row = result.rows[0];
    if (row === undefined) return null;
    const header = this.#headerFromRow(row);
    const nodes = (row.records ?? []).map((record) => decodeStoredNode(record, this.#migrations, id));
    return { ...header, nodes };
  }

  async list(options?: ListConversationsOptions): Promise<ConversationPage> {
    this.#assertOpen();
    const data = parseListOptions(options);
    const where: string[] = [];
    const parameters: unknown[] = [];
    const parameter = (value: unknown): string => {
      parameters.push(value);
      return `$${parameters.length}`;
    };
    if (data.updatedAfterMs !== undefined) where.push(`updated_at > ${parameter(new Date(data.updatedAfterMs))}`);
    if (data.updatedBeforeMs !== undefined) where.push(`updated_at < ${parameter(new Date(data.updatedBeforeMs))}`);
    if (data.cursor !== undefined) {
      const position = decodeListCursor(data.cursor);
      where.push(`(updated_at, id) < (${parameter(new Date(position.updatedAtMs))}, ${parameter(position.id)})`);
    }
    const filter = metadataFilter(data.metadata);
    if (filter !== undefined) where.push(`metadata @> ${parameter(filter)}::jsonb`);
    const sql =
      `SELECT ${HEADER_COLUMNS} FROM ${this.#sql.conversations}${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`}` +
      ` ORDER BY updated_at DESC, id DESC LIMIT ${parameter(data.limit + 1)}`;
    // One row more than the page tells whether there is a next page.
    const rows = (await this.#query<ConversationRow>(sql, parameters)).rows;
    const items = rows.slice(0, data.limit).map((row) => this.#headerFromRow(row));
    const last = items.at(-1);
    return rows.length > data.limit && last !== undefined ? { items, nextCursor: encodeListCursor(last) } : { items };
  }

  async search(text: string, options?: { limit?: number | undefined; metadata?: ListConversationsOptions['metadata'] }): Promise<SearchHit[]> {
    this.#assertOpen();
    const data = parseSearchInput(text, options);
    const queryLower = data.text.toLowerCase();
    const filter = metadataFilter(data.metadata);
    const parameters: unknown[] = [queryLower.replace(NUL, ''), data.limit];
    let join = '';
    if (filter !== undefined) {
      parameters.push(filter);
      join = ` JOIN ${this.#sql.conversations} AS c ON c.id = n.conversation_id AND c.metadata @> $3::jsonb`;
    }
    // `strpos` is a plain substring test: the query is literal text, with no pattern characters.
    const sql =
      `SELECT n.conversation_id, n.record FROM ${this.#sql.nodes} AS n${join} WHERE strpos(n.text, $1) > 0` +
      ' ORDER BY n.created_at DESC, n.conversation_id, n.seq DESC LIMIT $2';
    const rows = (await this.#query<SearchRow>(sql, parameters)).rows;
    const hits: SearchHit[] = [];
    for (const row of rows) {
      const hit = searchNode(row.conversation_id, decodeStoredNode(row.record, this.#migrations, row.conversation_id), queryLower);
      if (hit !== undefined) hits.push(hit);
    }
    return hits;
  }

  async delete(conversationId: string): Promise<boolean> {
    this.#assertOpen();
    const id = parseConversationId(conversationId);
    // The nodes go with it (ON DELETE CASCADE), in the statement's own transaction.
    const result = await guarded(this.#pool.query(this.#sql.deleteConversation, [id]), 'unknown', id);
    return (result.rowCount ?? 0) > 0;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsPool) await this.#pool.end();
  }

  #assertOpen(): void {
    if (this.#closed) throw new ConversationStoreError('closed', 'the store is closed');
  }

  /** A read of `list` or `search`. */
  async #query<Row extends pg.QueryResultRow>(sql: string, parameters: unknown[]): Promise<pg.QueryResult<Row>> {
    return guarded(this.#pool.query<Row>(sql, parameters), 'read');
  }

  /** Runs `work` in a transaction; a lost connection is `unavailable`, saying whether it struck before the `COMMIT` was sent. */
  async #transaction<T>(work: (client: PoolClient) => Promise<T>, conversationId?: string): Promise<T> {
    // pg leaves a checked-out client's 'error' event to its user: a connection the server ends
    // (a restart, an administrator's kill) while no statement runs would otherwise be an uncaught
    // exception that ends the process. The listener goes on inside pg's own callback: a promise
    // would attach it a microtask late, after pg may have read the server's goodbye from the
    // same network packet that finished the client's previous query. The transaction's next
    // statement then fails instead, and the client is discarded.
    let lost: unknown;
    const onError = (error: unknown) => (lost ??= error);
    const connecting = new Promise<PoolClient>((resolve, reject) => {
      this.#pool.connect((error, connected) => {
        if (error || !connected) return reject(error ?? new Error('pg returned no client'));
        connected.on('error', onError);
        resolve(connected);
      });
    });
    const client = await guarded(connecting, 'not-written', conversationId);
    let committing = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      committing = true;
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw storeFailure(error, committing ? 'unknown' : 'not-written', conversationId);
    } finally {
      client.removeListener('error', onError);
      client.release(lost instanceof Error ? lost : undefined);
    }
  }

  /** The optimistic-concurrency gate: version test and write in one statement, which also locks the row. */
  async #bump(client: PoolClient, id: string, expectedVersion: number, activeNodeId: string | null): Promise<ConversationRow> {
    const result = await client.query<ConversationRow>(this.#sql.bump, [id, expectedVersion, activeNodeId, new Date()]);
    const row = result.rows[0];
    if (row === undefined) throw await this.#notWritten(client, id, expectedVersion);
    return row;
  }

  /** Why a versioned write changed no row: the conversation is missing, or at another version. */
  async #notWritten(client: Queryable, conversationId: string, expectedVersion: number): Promise<ConversationStoreError> {
    const result = await client.query<{ version: string }>(this.#sql.selectVersion, [conversationId]);
    const actual = result.rows[0]?.version;
    if (actual === undefined) return new ConversationStoreError('not-found', 'no such conversation', { conversationId });
    return new ConversationConflictError(conversationId, expectedVersion, Number(actual));
  }

  async #insertNodes(client: PoolClient, conversationId: string, nodes: readonly ConversationNode[]): Promise<void> {
    try {
      await client.query(this.#sql.insertNodes, [conversationId, ...nodeColumns(nodes)]);
    } catch (error) {
      if (isPgError(error, '23505') && error.constraint === 'conversation_nodes_pkey') throw duplicateNodeError(conversationId);
      throw asInputError(error, conversationId);
    }
  }

  /** The error for a write naming `expectedVersion` when the conversation is missing or elsewhere; undefined when it is at that version. */
  async #staleVersionError(conversationId: string, expectedVersion: number): Promise<ConversationStoreError | undefined> {
    const result = await this.#pool.query<{ version: string }>(this.#sql.selectVersion, [conversationId]);
    const actual = result.rows[0]?.version;
    if (actual === undefined) return new ConversationStoreError('not-found', 'no such conversation', { conversationId });
    return Number(actual) === expectedVersion ? undefined : new ConversationConflictError(conversationId, expectedVersion, Number(actual));
  }

  #headerFromRow(row: ConversationRow): ConversationHeader {
    const fields = {
      schemaVersion: row.schema_version,
      id: row.id,
      version: Number(row.version),
      activeNodeId: row.active_node_id,
      rootNodeId: row.root_node_id,
      metadata: row.metadata,
      createdAt: row.created_at,
      updatedAt: row.updated_at.toISOString(),
    };
    return decodeStoredHeader(fields, this.#migrations, row.id);
  }
}

/** The node columns of an insert, one array per column (for `unnest`), in the order of `insertNodes`. */
function nodeColumns(nodes: readonly ConversationNode[]): unknown[][] {
  const columns: unknown[][] = [[], [], [], [], [], [], [], [], [], []];
  for (const node of nodes) {
    const values = [
      node.id,
      node.parentId,
      node.seq,
      node.schemaVersion,
      node.createdAt,
      node.promptName ?? null,
      node.branchName ?? null,
      node.partial ?? null,
      searchableText(node.message).replace(NUL, ''),
      JSON.stringify(node),
    ];
    values.forEach((value, index) => columns[index]!.push(value));
  }
  return columns;
}

/** The `list` / `search` metadata filter as one JSONB object for `@>`, or nothing to filter on. */
function metadataFilter(filter: MetadataFilter): string | undefined {
  return Object.keys(filter).length === 0 ? undefined : JSON.stringify(filter);
}

interface PerTurnStatement {
  readonly text: string;
  readonly name?: string;
}

/**
 * A statement as a pg query config: named when `prepared`, so that each connection prepares it
 * once. The name is derived from the text (schema included): two stores over one pool, or over
 * different schemas, never ask one name to mean two statements, which pg refuses.
 */
function perTurnStatement(text: string, prepared: boolean): PerTurnStatement {
  return prepared ? { text, name: `kit_conversations_${createHash('sha256').update(text).digest('hex').slice(0, 24)}` } : { text };
}

/** The store's SQL, with the quoted schema name in place. */
function statements(s: string) {
  const conversations = `${s}.conversations`;
  const nodes = `${s}.conversation_nodes`;
  return {
    conversations,
    nodes,
    insertConversation: `INSERT INTO ${conversations} (${HEADER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)`,
    insertNodes:
      `INSERT INTO ${nodes} (conversation_id, id, parent_id, seq, schema_version, created_at, prompt_name, branch_name, partial, text, record)` +
      ' SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[], $10::text[], $11::json[])',
    bump:
      `UPDATE ${conversations} SET version = version + 1, active_node_id = coalesce($3, active_node_id), updated_at = $4` +
      ` WHERE id = $1 AND version = $2 RETURNING ${HEADER_COLUMNS}`,
    bumpWithMetadata:
      `UPDATE ${conversations} SET version = version + 1, metadata = (metadata || $3::jsonb) - $4::text[], updated_at = $5` +
      ` WHERE id = $1 AND version = $2 RETURNING ${HEADER_COLUMNS}`,
    selectVersion: `SELECT version FROM ${conversations} WHERE id = $1`,
    // $1 id, $2 expected version, $3 active node, $4 now, $5 stored ids the append needs (parents,
    // active node), $6 the first new seq, $7.. the node columns. The version test and the
    // checks gate the UPDATE; the INSERT runs only if the UPDATE returned the row.
    append:
      `WITH state AS (SELECT (SELECT max(seq) FROM ${nodes} WHERE conversation_id = $1) AS max_seq,` +
      ` (SELECT count(*) FROM ${nodes} WHERE conversation_id = $1 AND id = ANY($5::text[])) AS found),` +
      ` bumped AS (UPDATE ${conversations} SET version = version + 1, active_node_id = coalesce($3, active_node_id), updated_at = $4` +
      ` WHERE id = $1 AND version = $2 AND (SELECT coalesce(max_seq, -1) < $6 AND found = cardinality($5::text[]) FROM state)` +
      ` RETURNING ${HEADER_COLUMNS}),` +
      ` inserted AS (INSERT INTO ${nodes} (conversation_id, id, parent_id, seq, schema_version, created_at, prompt_name, branch_name, partial, text, record)` +
      ' SELECT $1, u.* FROM unnest($7::text[], $8::text[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::text[], $14::boolean[], $15::text[], $16::json[]) AS u' +
      ' WHERE EXISTS (SELECT 1 FROM bumped))' +
      ' SELECT * FROM bumped',
    appendDiagnosis:
      `SELECT c.version, (SELECT max(seq) FROM ${nodes} WHERE conversation_id = $1) AS max_seq,` +
      ` (SELECT array_agg(id) FROM ${nodes} WHERE conversation_id = $1 AND id = ANY($2::text[])) AS found` +
      ` FROM ${conversations} AS c WHERE c.id = $1`,
    nodeExists: `SELECT 1 FROM ${nodes} WHERE conversation_id = $1 AND id = $2`,
    // One statement, so the header and the nodes come from one snapshot.
    load:
      `SELECT ${HEADER_COLUMNS}, (SELECT json_agg(n.record ORDER BY n.seq) FROM ${nodes} AS n WHERE n.conversation_id = c.id) AS records` +
      ` FROM ${conversations} AS c WHERE c.id = $1`,
    deleteConversation: `DELETE FROM ${conversations} WHERE id = $1`,
  };
}
