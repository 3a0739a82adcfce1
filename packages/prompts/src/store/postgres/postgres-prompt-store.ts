import { randomUUID } from 'node:crypto';
import { KitError } from '@kit/llm';
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { assignInputSchema, type Assignment } from '../assignment.js';
import { compareText } from '../compare-text.js';
import {
  createExperimentInputSchema,
  experimentStatusSchema,
  listExperimentsFilterSchema,
  updateExperimentStatusOptionsSchema,
  type CreateExperimentInput,
  type Experiment,
  type ExperimentStatus,
  type ListExperimentsFilter,
  type UpdateExperimentStatusOptions,
} from '../experiment.js';
import { experimentNotFoundError, planExperimentStatusChange, variantNotFoundError, variantVersionNotFoundError } from '../experiment-rules.js';
import {
  compareMetricSummaries,
  listEventsOptionsSchema,
  metricEventBatchSchema,
  type ListEventsOptions,
  type MetricEvent,
  type MetricEventInput,
  type MetricSummary,
} from '../metric-event.js';
import { parseStoreInput } from '../parse-store-input.js';
import { PromptStoreError } from '../prompt-store-error.js';
import type { PromptStore } from '../prompt-store.js';
import {
  createPromptVersionInputSchema,
  createVersionOptionsSchema,
  latestVersionOptionsSchema,
  settableVersionStatusSchema,
  type CreatePromptVersionInput,
  type CreateVersionOptions,
  type LatestVersionOptions,
  type PromptVersion,
  type PromptVersionStatus,
  type SettableVersionStatus,
} from '../prompt-version.js';
import { formatSemanticVersion, parseSemanticVersion, type SemanticVersion } from '../semantic-version.js';
import { parseKind, parseName, parsePromptKey, parseVersionKey, parseVersionNumber } from '../store-arguments.js';
import type { VersionedPromptKind } from '../store-field-schemas.js';
import { buildVersionDiff, type VersionDiff } from '../version-diff.js';
import {
  assertPromotable,
  noProductionError,
  noRollbackTargetError,
  planVersionNumber,
  versionExistsError,
  versionNotFoundError,
} from '../version-rules.js';
import { migratePostgresSchema, quoteIdentifier } from './postgres-schema.js';
import { classifyConnectionError, type ConnectionFailure } from './connection-errors.js';
import { loadPg } from './load-pg.js';

/** Options of `PostgresPromptStore.connect`. */
export interface PostgresPromptStoreOptions {
  /** The schema that holds the store's tables; created if missing. Default `public`. */
  schema?: string;
  /** Pool size when connecting by URL; default 10. */
  maxConnections?: number;
}

/** What the store's statements need of a connection: text and values in, rows out. */
interface Queryable {
  query<Row extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<Row>>;
}

/**
 * What a failed call had done when it failed: only read; certainly written nothing (it never
 * reached the server, or its transaction had not committed); sent a write whose outcome is
 * unknown (a `COMMIT` in flight when the connection broke); or run a write that is safe to run
 * again whatever its outcome (`assign`).
 */
type CallOutcome = 'read' | 'not-written' | 'unknown' | 'idempotent';

/**
 * The error a store call throws for `error`: Kit's own errors as they are; a serialization
 * failure or deadlock as a retryable `conflict` (the server rolled the transaction back); a
 * refused, lost or not-yet-accepted connection as `unavailable`, retryable unless a write that is
 * not safe to repeat may have been stored; anything else (bad SQL, a bug) unchanged.
 */
function storeFailure(error: unknown, outcome: CallOutcome): unknown {
  if (error instanceof KitError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '40001' || code === '40P01') {
    const message = `the database aborted the transaction in favour of a concurrent one (${detail(error)}); nothing was written`;
    return new PromptStoreError('conflict', message, { cause: error, retryable: true });
  }
  const failure = classifyConnectionError(error);
  if (failure === undefined) return error;
  const maybeStored = failure === 'lost' && outcome === 'unknown';
  return new PromptStoreError('unavailable', unavailableMessage(failure, outcome, detail(error)), { cause: error, retryable: !maybeStored });
}

function unavailableMessage(failure: ConnectionFailure, outcome: CallOutcome, why: string): string {
  if (failure === 'unreachable') return `cannot reach the database (${why})${outcome === 'read' ? '' : '; nothing was written'}`;
  if (outcome === 'read') return `lost the connection to the database (${why})`;
  if (outcome === 'not-written') return `lost the connection to the database (${why}) before the write committed; nothing was written`;
  if (outcome === 'idempotent') return `lost the connection to the database (${why}); running the call again is safe`;
  return `lost the connection to the database (${why}) as the write committed: it may or may not have been stored; look before writing again`;
}

/** The driver's words for a failure: its message, else its code (Node's AggregateError of refused addresses has no message). */
function detail(error: unknown): string {
  const fields = error as { message?: unknown; code?: unknown };
  if (typeof fields.message === 'string' && fields.message !== '') return fields.message;
  return typeof fields.code === 'string' ? fields.code : String(error);
}

/** `query`'s result, or its failure as the store reports it (see {@link storeFailure}). */
async function guarded<T>(query: Promise<T>, outcome: CallOutcome): Promise<T> {
  try {
    return await query;
  } catch (error) {
    throw storeFailure(error, outcome);
  }
}

interface VersionRow {
  prompt_name: string;
  kind: VersionedPromptKind;
  major: number;
  minor: number;
  patch: number;
  template: Record<string, unknown>;
  parent_version: string | null;
  author: string | null;
  message: string | null;
  tags: string[];
  status: PromptVersionStatus;
  created_at: Date;
}

interface ExperimentRow {
  id: string;
  prompt_name: string;
  kind: VersionedPromptKind;
  control_variant: string;
  primary_metric: string;
  status: ExperimentStatus;
  winner: string | null;
  started_at: Date;
  ended_at: Date | null;
  created_at: Date;
  variants: { name: string; major: number; minor: number; patch: number; weight: number }[];
}

interface EventRow {
  id: string;
  experiment_id: string;
  variant: string;
  unit_id: string;
  metric: string;
  value: number;
  recorded_at: Date;
  metadata: Record<string, unknown> | null;
}

interface AssignmentRow {
  experiment_id: string;
  unit_id: string;
  variant: string;
  assigned_at: Date;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const VERSION_COLUMNS = 'prompt_name, kind, major, minor, patch, template, parent_version, author, message, tags, status, created_at';

/**
 * A `PromptStore` in PostgreSQL, through `pg`. Its tables live in one schema (`options.schema`),
 * created on first connect. Writes to one prompt's versions, and event appends to one
 * experiment, are serialised with transaction-scoped advisory locks: concurrent creates get
 * different version numbers, and event ids of an experiment increase in commit order, so paging
 * with `afterId` never skips an event committed late.
 *
 * A refused or lost connection (the server restarting, say) fails the call with
 * `PromptStoreError('unavailable')`, whose cause is the driver's error; the pool connects anew on
 * the next call.
 */
export class PostgresPromptStore implements PromptStore {
  readonly #pool: Pool;
  /** The pool for statements outside a transaction, all reads: their failures as the store reports them. */
  readonly #reads: Queryable;
  readonly #ownsPool: boolean;
  readonly #schema: string;
  readonly #t: {
    versions: string;
    experiments: string;
    variants: string;
    assignments: string;
    events: string;
    eventIds: string;
  };
  #closed = false;

  private constructor(pool: Pool, ownsPool: boolean, schema: string) {
    this.#pool = pool;
    this.#reads = { query: (text, values) => guarded(pool.query(text, values), 'read') };
    this.#ownsPool = ownsPool;
    this.#schema = schema;
    const s = quoteIdentifier(schema);
    this.#t = {
      versions: `${s}.prompt_versions`,
      experiments: `${s}.experiments`,
      variants: `${s}.experiment_variants`,
      assignments: `${s}.assignments`,
      events: `${s}.metric_events`,
      eventIds: `${s}.metric_event_ids`,
    };
  }

  /**
   * Connects to the database at `target` (a connection URL: the store owns the pool and ends it
   * on `close`) or through a `pg.Pool` (the caller's: `close` leaves it open), creates the schema
   * and tables if missing, and checks the schema version (`unsupported-schema` if newer).
   */
  static async connect(target: string | Pool, options: PostgresPromptStoreOptions = {}): Promise<PostgresPromptStore> {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) {
      throw new PromptStoreError('invalid-input', `invalid schema name "${schema}": letters, digits and _, not starting with a digit, at most 63`);
    }
    const ownsPool = typeof target === 'string';
    const pool = typeof target === 'string' ? new (await loadPg()).Pool({ connectionString: target, max: options.maxConnections ?? 10 }) : target;
    // An idle connection that breaks (a server restart) must not crash the process: the next query reports it.
    if (ownsPool) pool.on('error', () => undefined);
    try {
      const store = new PostgresPromptStore(pool, ownsPool, schema);
      await store.#transaction((client) => migratePostgresSchema(client, schema));
      return store;
    } catch (error) {
      if (ownsPool) await pool.end();
      throw error;
    }
  }

  async createVersion(input: CreatePromptVersionInput, options: CreateVersionOptions = {}): Promise<PromptVersion> {
    this.#assertOpen();
    const data = parseStoreInput('input', createPromptVersionInputSchema, input);
    const chosen = parseStoreInput('options', createVersionOptionsSchema, options);
    return this.#transaction(async (client) => {
      await this.#lockPrompt(client, data.promptName, data.kind);
      const latestRows = await client.query<VersionRow>(
        `SELECT major, minor, patch FROM ${this.#t.versions} WHERE prompt_name = $1 AND kind = $2 ORDER BY major DESC, minor DESC, patch DESC LIMIT 1`,
        [data.promptName, data.kind],
      );
      const latest = latestRows.rows[0] === undefined ? undefined : versionString(latestRows.rows[0]);
      const number = planVersionNumber(data.promptName, latest, chosen);
      const version = formatSemanticVersion(number);
      const parentVersion = data.parentVersion === undefined ? (latest ?? null) : data.parentVersion;
      if (parentVersion !== null && (await this.#versionRow(client, data.promptName, data.kind, parseSemanticVersion(parentVersion)!)) === undefined) {
        throw versionNotFoundError(data.promptName, data.kind, parentVersion);
      }
      try {
        const inserted = await client.query<VersionRow>(
          `INSERT INTO ${this.#t.versions} (${VERSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${VERSION_COLUMNS}`,
          [
            data.promptName,
            data.kind,
            number.major,
            number.minor,
            number.patch,
            JSON.stringify(data.template),
            parentVersion,
            data.author ?? null,
            data.message ?? null,
            JSON.stringify(data.tags ?? []),
            data.status ?? 'draft',
            data.createdAt ?? new Date().toISOString(),
          ],
        );
        return versionFromRow(inserted.rows[0]!);
      } catch (error) {
        if (isUniqueViolation(error)) throw versionExistsError(data.promptName, data.kind, version);
        throw error;
      }
    });
  }

  async getVersion(promptName: string, kind: VersionedPromptKind, version: string): Promise<PromptVersion | null> {
    this.#assertOpen();
    const key = parseVersionKey(promptName, kind, version);
    const row = await this.#versionRow(this.#reads, key.promptName, key.kind, key.number);
    return row === undefined ? null : versionFromRow(row);
  }

  async listVersions(promptName: string, kind: VersionedPromptKind): Promise<PromptVersion[]> {
    this.#assertOpen();
    const key = parsePromptKey(promptName, kind);
    const result = await this.#reads.query<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM ${this.#t.versions} WHERE prompt_name = $1 AND kind = $2 ORDER BY major, minor, patch`,
      [key.promptName, key.kind],
    );
    return result.rows.map(versionFromRow);
  }

  async latestVersion(promptName: string, kind: VersionedPromptKind, options: LatestVersionOptions = {}): Promise<PromptVersion | null> {
    this.#assertOpen();
    const key = parsePromptKey(promptName, kind);
    const { statuses } = parseStoreInput('options', latestVersionOptionsSchema, options);
    const result = await this.#reads.query<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM ${this.#t.versions} WHERE prompt_name = $1 AND kind = $2 AND ($3::text[] IS NULL OR status = ANY($3::text[]))
       ORDER BY major DESC, minor DESC, patch DESC LIMIT 1`,
      [key.promptName, key.kind, statuses ?? null],
    );
    return result.rows[0] === undefined ? null : versionFromRow(result.rows[0]);
  }

  async listPromptNames(kind: VersionedPromptKind): Promise<string[]> {
    this.#assertOpen();
    const result = await this.#reads.query<{ prompt_name: string }>(`SELECT DISTINCT prompt_name FROM ${this.#t.versions} WHERE kind = $1`, [
      parseKind(kind),
    ]);
    return result.rows.map((row) => row.prompt_name).sort(compareText);
  }

  async setVersionStatus(promptName: string, kind: VersionedPromptKind, version: string, status: SettableVersionStatus): Promise<PromptVersion> {
    this.#assertOpen();
    const key = parseVersionKey(promptName, kind, version);
    const newStatus = parseStoreInput('status', settableVersionStatusSchema, status);
    return this.#transaction(async (client) => {
      await this.#lockPrompt(client, key.promptName, key.kind);
      const row = await this.#requireVersionRow(client, key.promptName, key.kind, key.number);
      await this.#setStatus(client, key.promptName, key.kind, key.number, newStatus);
      return { ...versionFromRow(row), status: newStatus };
    });
  }

  async promoteToProduction(promptName: string, kind: VersionedPromptKind, version: string): Promise<PromptVersion> {
    this.#assertOpen();
    const key = parseVersionKey(promptName, kind, version);
    return this.#transaction(async (client) => {
      await this.#lockPrompt(client, key.promptName, key.kind);
      const target = versionFromRow(await this.#requireVersionRow(client, key.promptName, key.kind, key.number));
      if (target.status === 'production') return target;
      assertPromotable(target);
      // Demote first: the partial unique index allows one production row at any moment.
      await client.query(`UPDATE ${this.#t.versions} SET status = 'active' WHERE prompt_name = $1 AND kind = $2 AND status = 'production'`, [
        key.promptName,
        key.kind,
      ]);
      await this.#setStatus(client, key.promptName, key.kind, key.number, 'production');
      return { ...target, status: 'production' };
    });
  }

  async rollback(promptName: string, kind: VersionedPromptKind): Promise<PromptVersion> {
    this.#assertOpen();
    const key = parsePromptKey(promptName, kind);
    return this.#transaction(async (client) => {
      await this.#lockPrompt(client, key.promptName, key.kind);
      const production = await client.query<VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM ${this.#t.versions} WHERE prompt_name = $1 AND kind = $2 AND status = 'production'`,
        [key.promptName, key.kind],
      );
      const current = production.rows[0];
      if (current === undefined) throw noProductionError(key.promptName, key.kind);
      const candidate = await client.query<VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM ${this.#t.versions} WHERE prompt_name = $1 AND kind = $2 AND status = 'active'
         AND (major, minor, patch) < ($3, $4, $5) ORDER BY major DESC, minor DESC, patch DESC LIMIT 1`,
        [key.promptName, key.kind, current.major, current.minor, current.patch],
      );
      const target = candidate.rows[0];
      if (target === undefined) throw noRollbackTargetError(versionFromRow(current));
      await this.#setStatus(client, key.promptName, key.kind, current, 'deprecated');
      await this.#setStatus(client, key.promptName, key.kind, target, 'production');
      return { ...versionFromRow(target), status: 'production' };
    });
  }

  async diffVersions(promptName: string, kind: VersionedPromptKind, from: string, to: string): Promise<VersionDiff> {
    this.#assertOpen();
    const key = parsePromptKey(promptName, kind);
    const fromNumber = parseVersionNumber('from', from).number;
    const toNumber = parseVersionNumber('to', to).number;
    const fromRow = await this.#requireVersionRow(this.#reads, key.promptName, key.kind, fromNumber);
    const toRow = await this.#requireVersionRow(this.#reads, key.promptName, key.kind, toNumber);
    return buildVersionDiff(versionFromRow(fromRow), versionFromRow(toRow));
  }

  async createExperiment(input: CreateExperimentInput): Promise<Experiment> {
    this.#assertOpen();
    const data = parseStoreInput('input', createExperimentInputSchema, input);
    return this.#transaction(async (client) => {
      for (const variant of data.variants) {
        if ((await this.#versionRow(client, data.promptName, data.kind, parseSemanticVersion(variant.version)!)) === undefined) {
          throw variantVersionNotFoundError(data.promptName, data.kind, variant);
        }
      }
      const id = data.id ?? randomUUID();
      const now = new Date().toISOString();
      try {
        await client.query(
          `INSERT INTO ${this.#t.experiments} (id, prompt_name, kind, control_variant, primary_metric, status, winner, started_at, ended_at, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, NULL, $8)`,
          [
            id,
            data.promptName,
            data.kind,
            data.controlVariant ?? data.variants[0]!.name,
            data.primaryMetric,
            data.status ?? 'running',
            data.startedAt ?? now,
            now,
          ],
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new PromptStoreError('conflict', `an experiment "${id}" exists already`);
        throw error;
      }
      const numbers = data.variants.map((variant) => parseSemanticVersion(variant.version)!);
      await client.query(
        `INSERT INTO ${this.#t.variants} (experiment_id, name, position, prompt_name, kind, major, minor, patch, weight)
         SELECT $1, name, position - 1, $2, $3, major, minor, patch, weight
         FROM unnest($4::text[], $5::integer[], $6::integer[], $7::integer[], $8::float8[]) WITH ORDINALITY AS v(name, major, minor, patch, weight, position)`,
        [
          id,
          data.promptName,
          data.kind,
          data.variants.map((variant) => variant.name),
          numbers.map((number) => number.major),
          numbers.map((number) => number.minor),
          numbers.map((number) => number.patch),
          data.variants.map((variant) => variant.weight),
        ],
      );
      return (await this.#experiment(client, id, false))!;
    });
  }

  async getExperiment(experimentId: string): Promise<Experiment | null> {
    this.#assertOpen();
    return (await this.#experiment(this.#reads, parseName('experimentId', experimentId), false)) ?? null;
  }

  async listExperiments(filter: ListExperimentsFilter = {}): Promise<Experiment[]> {
    this.#assertOpen();
    const { promptName = null, status = null } = parseStoreInput('filter', listExperimentsFilterSchema, filter);
    const result = await this.#reads.query<ExperimentRow>(
      `${this.#experimentSelect()} WHERE ($1::text IS NULL OR e.prompt_name = $1) AND ($2::text IS NULL OR e.status = $2) ORDER BY e.seq`,
      [promptName, status],
    );
    return result.rows.map(experimentFromRow);
  }

  async updateExperimentStatus(experimentId: string, status: ExperimentStatus, options: UpdateExperimentStatusOptions = {}): Promise<Experiment> {
    this.#assertOpen();
    const id = parseName('experimentId', experimentId);
    const newStatus = parseStoreInput('status', experimentStatusSchema, status);
    const chosen = parseStoreInput('options', updateExperimentStatusOptionsSchema, options);
    return this.#transaction(async (client) => {
      // The row lock makes a concurrent update wait, then see this one's result.
      const current = await this.#experiment(client, id, true);
      if (current === undefined) throw experimentNotFoundError(id);
      const change = planExperimentStatusChange(current, newStatus, chosen, new Date().toISOString());
      if (change === undefined) return current;
      await client.query(`UPDATE ${this.#t.experiments} SET status = $2, winner = $3, ended_at = $4 WHERE id = $1`, [
        id,
        change.status,
        change.winner,
        change.endedAt,
      ]);
      return { ...current, ...change };
    });
  }

  async assign(experimentId: string, unitId: string, variant: string): Promise<Assignment> {
    this.#assertOpen();
    const data = parseStoreInput('assignment', assignInputSchema(), { experimentId, unitId, variant });
    await this.#requireVariants(this.#reads, [data.experimentId], [data]);
    // Two statements on purpose: under READ COMMITTED the SELECT takes a new snapshot, so it sees
    // the row of a concurrent writer whose insert made this one do nothing. Both are safe to run
    // again: a unit keeps the first assignment stored.
    const insert = this.#pool.query(
      `INSERT INTO ${this.#t.assignments} (experiment_id, unit_id, variant, assigned_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (experiment_id, unit_id) DO NOTHING`,
      [data.experimentId, data.unitId, data.variant, new Date().toISOString()],
    );
    await guarded(insert, 'idempotent');
    const stored = await this.#reads.query<AssignmentRow>(`SELECT * FROM ${this.#t.assignments} WHERE experiment_id = $1 AND unit_id = $2`, [
      data.experimentId,
      data.unitId,
    ]);
    return assignmentFromRow(stored.rows[0]!);
  }

  async getAssignment(experimentId: string, unitId: string): Promise<Assignment | null> {
    this.#assertOpen();
    const result = await this.#reads.query<AssignmentRow>(`SELECT * FROM ${this.#t.assignments} WHERE experiment_id = $1 AND unit_id = $2`, [
      parseName('experimentId', experimentId),
      parseName('unitId', unitId),
    ]);
    return result.rows[0] === undefined ? null : assignmentFromRow(result.rows[0]);
  }

  async countAssignments(experimentId: string): Promise<Record<string, number>> {
    this.#assertOpen();
    const id = parseName('experimentId', experimentId);
    const variants = await this.#requireVariants(this.#reads, [id], []);
    const counts: Record<string, number> = {};
    for (const name of variants.get(id) ?? []) counts[name] = 0;
    const result = await this.#reads.query<{ variant: string; count: number }>(
      `SELECT variant, COUNT(*)::integer AS count FROM ${this.#t.assignments} WHERE experiment_id = $1 GROUP BY variant`,
      [id],
    );
    for (const row of result.rows) counts[row.variant] = row.count;
    return counts;
  }

  async recordEvents(events: readonly MetricEventInput[]): Promise<MetricEvent[]> {
    this.#assertOpen();
    const batch = parseStoreInput('events', metricEventBatchSchema(), events);
    if (batch.length === 0) return [];
    const experimentIds = [...new Set(batch.map((event) => event.experimentId))].sort(compareText);
    return this.#transaction(async (client) => {
      // Sorted lock order: two batches over the same experiments cannot deadlock.
      for (const id of experimentIds) await this.#lock(client, 'events', id);
      await this.#requireVariants(client, experimentIds, batch);
      const allocated = await client.query<{ id: string }>(`SELECT nextval('${this.#t.eventIds}') AS id FROM generate_series(1, $1)`, [batch.length]);
      const ids = allocated.rows.map((row) => Number(row.id)).sort((a, b) => a - b);
      const now = new Date().toISOString();
      const stored = batch.map(
        (event, index): MetricEvent => ({
          id: ids[index]!,
          experimentId: event.experimentId,
          variant: event.variant,
          unitId: event.unitId,
          metric: event.metric,
          value: event.value,
          recordedAt: event.recordedAt ?? now,
          metadata: event.metadata ?? null,
        }),
      );
      await client.query(
        `INSERT INTO ${this.#t.events} (id, experiment_id, variant, unit_id, metric, value, recorded_at, metadata)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::timestamptz[], $8::jsonb[])`,
        [
          stored.map((event) => event.id),
          stored.map((event) => event.experimentId),
          stored.map((event) => event.variant),
          stored.map((event) => event.unitId),
          stored.map((event) => event.metric),
          stored.map((event) => event.value),
          stored.map((event) => event.recordedAt),
          stored.map((event) => (event.metadata === null ? null : JSON.stringify(event.metadata))),
        ],
      );
      return stored;
    });
  }

  async listEvents(experimentId: string, options: ListEventsOptions = {}): Promise<MetricEvent[]> {
    this.#assertOpen();
    const id = parseName('experimentId', experimentId);
    const { afterId = 0, limit = 1_000 } = parseStoreInput('options', listEventsOptionsSchema, options);
    await this.#requireVariants(this.#reads, [id], []);
    const result = await this.#reads.query<EventRow>(
      `SELECT * FROM ${this.#t.events} WHERE experiment_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [id, afterId, limit],
    );
    return result.rows.map(eventFromRow);
  }

  async summarizeEvents(experimentId: string): Promise<MetricSummary[]> {
    this.#assertOpen();
    const id = parseName('experimentId', experimentId);
    await this.#requireVariants(this.#reads, [id], []);
    const result = await this.#reads.query<{
      variant: string;
      metric: string;
      count: string;
      sum: number;
      sum_of_squares: number;
      min: number;
      max: number;
      distinct_units: string;
    }>(
      `SELECT variant, metric, COUNT(*) AS count, SUM(value) AS sum, SUM(value * value) AS sum_of_squares,
              MIN(value) AS min, MAX(value) AS max, COUNT(DISTINCT unit_id) AS distinct_units
       FROM ${this.#t.events} WHERE experiment_id = $1 GROUP BY variant, metric`,
      [id],
    );
    return result.rows
      .map(
        (row): MetricSummary => ({
          variant: row.variant,
          metric: row.metric,
          count: Number(row.count),
          sum: row.sum,
          sumOfSquares: row.sum_of_squares,
          min: row.min,
          max: row.max,
          distinctUnits: Number(row.distinct_units),
        }),
      )
      .sort(compareMetricSummaries);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsPool) await this.#pool.end();
  }

  #assertOpen(): void {
    if (this.#closed) throw new PromptStoreError('closed', 'the prompt store is closed');
  }

  /** Runs `work` in a transaction; a lost connection is `unavailable`, saying whether it struck before the `COMMIT` was sent. */
  async #transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    // pg leaves a checked-out client's 'error' event to its user: a connection the server ends (a
    // restart, an administrator's kill) would otherwise be an uncaught exception that ends the
    // process. The listener goes on inside pg's own callback: a promise would attach it a
    // microtask late, after pg may have read the server's goodbye in the same network packet.
    let broken: Error | undefined;
    const onError = (error: Error) => (broken ??= error);
    const connecting = new Promise<PoolClient>((resolve, reject) => {
      this.#pool.connect((error, connected) => {
        if (error || !connected) return reject(error ?? new Error('pg returned no client'));
        connected.on('error', onError);
        resolve(connected);
      });
    });
    const client = await guarded(connecting, 'not-written');
    let committing = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      committing = true;
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // A connection that cannot roll back is not returned to the pool.
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw storeFailure(error, committing ? 'unknown' : 'not-written');
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  // Transaction-scoped advisory locks serialise writers of one prompt, or of one experiment's events.
  async #lock(client: PoolClient, scope: string, key: string): Promise<void> {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`kit-prompt-store:${this.#schema}:${scope}:${key}`]);
  }

  async #lockPrompt(client: PoolClient, promptName: string, kind: VersionedPromptKind): Promise<void> {
    await this.#lock(client, `versions:${kind}`, promptName);
  }

  async #versionRow(db: Queryable, promptName: string, kind: VersionedPromptKind, number: SemanticVersion): Promise<VersionRow | undefined> {
    const result = await db.query<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM ${this.#t.versions} WHERE prompt_name = $1 AND kind = $2 AND major = $3 AND minor = $4 AND patch = $5`,
      [promptName, kind, number.major, number.minor, number.patch],
    );
    return result.rows[0];
  }

  async #requireVersionRow(db: Queryable, promptName: string, kind: VersionedPromptKind, number: SemanticVersion): Promise<VersionRow> {
    const row = await this.#versionRow(db, promptName, kind, number);
    if (row === undefined) throw versionNotFoundError(promptName, kind, formatSemanticVersion(number));
    return row;
  }

  async #setStatus(client: PoolClient, promptName: string, kind: VersionedPromptKind, number: SemanticVersion, status: PromptVersionStatus): Promise<void> {
    await client.query(`UPDATE ${this.#t.versions} SET status = $6 WHERE prompt_name = $1 AND kind = $2 AND major = $3 AND minor = $4 AND patch = $5`, [
      promptName,
      kind,
      number.major,
      number.minor,
      number.patch,
      status,
    ]);
  }

  #experimentSelect(): string {
    return `SELECT e.id, e.prompt_name, e.kind, e.control_variant, e.primary_metric, e.status, e.winner, e.started_at, e.ended_at, e.created_at,
      (SELECT json_agg(json_build_object('name', v.name, 'major', v.major, 'minor', v.minor, 'patch', v.patch, 'weight', v.weight) ORDER BY v.position)
       FROM ${this.#t.variants} v WHERE v.experiment_id = e.id) AS variants
      FROM ${this.#t.experiments} e`;
  }

  async #experiment(db: Queryable, id: string, forUpdate: boolean): Promise<Experiment | undefined> {
    if (forUpdate) {
      const locked = await db.query(`SELECT 1 FROM ${this.#t.experiments} WHERE id = $1 FOR UPDATE`, [id]);
      if (locked.rowCount === 0) return undefined;
    }
    const result = await db.query<ExperimentRow>(`${this.#experimentSelect()} WHERE e.id = $1`, [id]);
    return result.rows[0] === undefined ? undefined : experimentFromRow(result.rows[0]);
  }

  // The variant names of each experiment; throws unless every experiment exists and each
  // `required` pair names one of its variants.
  async #requireVariants(
    db: Queryable,
    experimentIds: readonly string[],
    required: readonly { experimentId: string; variant: string }[],
  ): Promise<Map<string, string[]>> {
    const result = await db.query<{ experiment_id: string; name: string }>(
      `SELECT experiment_id, name FROM ${this.#t.variants} WHERE experiment_id = ANY($1::text[]) ORDER BY experiment_id, position`,
      [experimentIds],
    );
    const variants = new Map<string, string[]>();
    for (const row of result.rows) {
      const names = variants.get(row.experiment_id) ?? [];
      names.push(row.name);
      variants.set(row.experiment_id, names);
    }
    // Every experiment has at least two variants, so none means no experiment.
    for (const id of experimentIds) if (!variants.has(id)) throw experimentNotFoundError(id);
    for (const { experimentId, variant } of required) {
      if (!variants.get(experimentId)!.includes(variant)) throw variantNotFoundError(experimentId, variant);
    }
    return variants;
  }
}

function versionString(row: { major: number; minor: number; patch: number }): string {
  return formatSemanticVersion({ major: row.major, minor: row.minor, patch: row.patch });
}

function versionFromRow(row: VersionRow): PromptVersion {
  return {
    promptName: row.prompt_name,
    kind: row.kind,
    version: versionString(row),
    template: row.template,
    parentVersion: row.parent_version,
    author: row.author,
    message: row.message,
    tags: row.tags,
    status: row.status,
    createdAt: row.created_at.toISOString(),
  };
}

function experimentFromRow(row: ExperimentRow): Experiment {
  return {
    id: row.id,
    promptName: row.prompt_name,
    kind: row.kind,
    variants: row.variants.map((variant) => ({ name: variant.name, version: versionString(variant), weight: variant.weight })),
    controlVariant: row.control_variant,
    primaryMetric: row.primary_metric,
    status: row.status,
    winner: row.winner,
    startedAt: row.started_at.toISOString(),
    endedAt: row.ended_at === null ? null : row.ended_at.toISOString(),
    createdAt: row.created_at.toISOString(),
  };
}

function assignmentFromRow(row: AssignmentRow): Assignment {
  return { experimentId: row.experiment_id, unitId: row.unit_id, variant: row.variant, assignedAt: row.assigned_at.toISOString() };
}

function eventFromRow(row: EventRow): MetricEvent {
  return {
    id: Number(row.id),
    experimentId: row.experiment_id,
    variant: row.variant,
    unitId: row.unit_id,
    metric: row.metric,
    value: row.value,
    recordedAt: row.recorded_at.toISOString(),
    metadata: row.metadata,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}
