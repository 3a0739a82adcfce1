import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
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
import { loadBetterSqlite3 } from './load-better-sqlite3.js';
import { migrateSqliteSchema } from './sqlite-schema.js';

/** Options of `SqlitePromptStore.open`. */
export interface SqlitePromptStoreOptions {
  /** How long a write waits for another connection's write lock before failing with SQLITE_BUSY; default 5,000 ms. */
  busyTimeoutMs?: number;
  /**
   * `normal` (default): in WAL mode a commit survives a crash of the process, but the last
   * commits can be lost if the operating system crashes or power fails before the WAL is synced.
   * `full`: every commit is synced to disk first (durable across power loss, slower writes).
   */
  synchronous?: 'normal' | 'full';
}

interface VersionRow {
  prompt_name: string;
  kind: VersionedPromptKind;
  major: number;
  minor: number;
  patch: number;
  template: string;
  parent_version: string | null;
  author: string | null;
  message: string | null;
  tags: string;
  status: PromptVersionStatus;
  created_at: string;
}

interface ExperimentRow {
  id: string;
  prompt_name: string;
  kind: VersionedPromptKind;
  control_variant: string;
  primary_metric: string;
  status: ExperimentStatus;
  winner: string | null;
  started_at: string;
  ended_at: string | null;
  created_at: string;
}

interface VariantRow {
  experiment_id: string;
  name: string;
  major: number;
  minor: number;
  patch: number;
  weight: number;
}

interface EventRow {
  id: number;
  experiment_id: string;
  variant: string;
  unit_id: string;
  metric: string;
  value: number;
  recorded_at: string;
  metadata: string | null;
}

interface AssignmentRow {
  experiment_id: string;
  unit_id: string;
  variant: string;
  assigned_at: string;
}

interface SummaryRow {
  variant: string;
  metric: string;
  count: number;
  sum: number;
  sum_of_squares: number;
  min: number;
  max: number;
  distinct_units: number;
}

const VERSION_KEY = 'prompt_name = @promptName AND kind = @kind AND major = @major AND minor = @minor AND patch = @patch';

/**
 * A `PromptStore` in a SQLite file, through `better-sqlite3`. The database runs in WAL mode with
 * `synchronous = NORMAL` by default (see `SqlitePromptStoreOptions.synchronous` for what that
 * means for durability) and a busy timeout, so several processes can share one file: every write
 * is an IMMEDIATE transaction, so writers queue on SQLite's lock instead of failing mid-way.
 * Statements are prepared once, when the store opens.
 */
export class SqlitePromptStore implements PromptStore {
  readonly #db: Database.Database;
  readonly #statements: ReturnType<typeof prepareStatements>;
  #closed = false;

  private constructor(db: Database.Database) {
    this.#db = db;
    this.#statements = prepareStatements(db);
  }

  /**
   * Opens (creating if needed) the store in `path`, or in memory for `':memory:'`. Fails with
   * reason `unsupported-schema` when the file was written by a newer schema version.
   */
  static async open(path: string, options: SqlitePromptStoreOptions = {}): Promise<SqlitePromptStore> {
    const Sqlite = await loadBetterSqlite3();
    const db = new Sqlite(path, { timeout: options.busyTimeoutMs ?? 5_000 });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
      db.pragma('foreign_keys = ON');
      migrateSqliteSchema(db, `SQLite database ${path}`);
      return new SqlitePromptStore(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async createVersion(input: CreatePromptVersionInput, options: CreateVersionOptions = {}): Promise<PromptVersion> {
    this.#assertOpen();
    const data = parseStoreInput('input', createPromptVersionInputSchema, input);
    const chosen = parseStoreInput('options', createVersionOptionsSchema, options);
    const s = this.#statements;
    return this.#db
      .transaction((): PromptVersion => {
        const latestRow = s.latestVersion.get({ promptName: data.promptName, kind: data.kind }) as VersionRow | undefined;
        const latest = latestRow === undefined ? undefined : versionString(latestRow);
        const number = planVersionNumber(data.promptName, latest, chosen);
        const version = formatSemanticVersion(number);
        const parentVersion = data.parentVersion === undefined ? (latest ?? null) : data.parentVersion;
        if (parentVersion !== null && this.#versionRow(data.promptName, data.kind, parseSemanticVersion(parentVersion)!) === undefined) {
          throw versionNotFoundError(data.promptName, data.kind, parentVersion);
        }
        const record: PromptVersion = {
          promptName: data.promptName,
          kind: data.kind,
          version,
          template: data.template,
          parentVersion,
          author: data.author ?? null,
          message: data.message ?? null,
          tags: data.tags ?? [],
          status: data.status ?? 'draft',
          createdAt: data.createdAt ?? new Date().toISOString(),
        };
        try {
          s.insertVersion.run({
            promptName: record.promptName,
            kind: record.kind,
            ...number,
            template: JSON.stringify(record.template),
            parentVersion: record.parentVersion,
            author: record.author,
            message: record.message,
            tags: JSON.stringify(record.tags),
            status: record.status,
            createdAt: record.createdAt,
          });
        } catch (error) {
          if (isUniqueViolation(error)) throw versionExistsError(data.promptName, data.kind, version);
          throw error;
        }
        return record;
      })
      .immediate();
  }

  async getVersion(promptName: string, kind: VersionedPromptKind, version: string): Promise<PromptVersion | null> {
    this.#assertOpen();
    const key = parseVersionKey(promptName, kind, version);
    const row = this.#versionRow(key.promptName, key.kind, key.number);
    return row === undefined ? null : versionFromRow(row);
  }

  async listVersions(promptName: string, kind: VersionedPromptKind): Promise<PromptVersion[]> {
    this.#assertOpen();
    const key = parsePromptKey(promptName, kind);
    return (this.#statements.listVersions.all(key) as VersionRow[]).map(versionFromRow);
  }

  async latestVersion(promptName: string, kind: VersionedPromptKind, options: LatestVersionOptions = {}): Promise<PromptVersion | null> {
    this.#assertOpen();
    const key = parsePromptKey(promptName, kind);
    const { statuses } = parseStoreInput('options', latestVersionOptionsSchema, options);
    const row = (
      statuses === undefined
        ? this.#statements.latestVersion.get(key)
        : this.#statements.latestVersionWithStatus.get({ ...key, statuses: JSON.stringify(statuses) })
    ) as VersionRow | undefined;
    return row === undefined ? null : versionFromRow(row);
  }

  async listPromptNames(kind: VersionedPromptKind): Promise<string[]> {
    this.#assertOpen();
    const rows = this.#statements.listPromptNames.all({ kind: parseKind(kind) }) as { prompt_name: string }[];
    return rows.map((row) => row.prompt_name).sort(compareText);
  }

  async setVersionStatus(promptName: string, kind: VersionedPromptKind, version: string, status: SettableVersionStatus): Promise<PromptVersion> {
    this.#assertOpen();
    const key = parseVersionKey(promptName, kind, version);
    const newStatus = parseStoreInput('status', settableVersionStatusSchema, status);
    return this.#db
      .transaction((): PromptVersion => {
        const row = this.#requireVersionRow(key.promptName, key.kind, key.number);
        this.#statements.setStatus.run({ promptName: key.promptName, kind: key.kind, ...key.number, status: newStatus });
        return { ...versionFromRow(row), status: newStatus };
      })
      .immediate();
  }

  async promoteToProduction(promptName: string, kind: VersionedPromptKind, version: string): Promise<PromptVersion> {
    this.#assertOpen();
    const key = parseVersionKey(promptName, kind, version);
    const s = this.#statements;
    return this.#db
      .transaction((): PromptVersion => {
        const target = versionFromRow(this.#requireVersionRow(key.promptName, key.kind, key.number));
        if (target.status === 'production') return target;
        assertPromotable(target);
        // Demote first: the partial unique index allows one production row at any moment.
        s.demoteProduction.run({ promptName: key.promptName, kind: key.kind });
        s.setStatus.run({ promptName: key.promptName, kind: key.kind, ...key.number, status: 'production' });
        return { ...target, status: 'production' };
      })
      .immediate();
  }

  async rollback(promptName: string, kind: VersionedPromptKind): Promise<PromptVersion> {
    this.#assertOpen();
    const key = parsePromptKey(promptName, kind);
    const s = this.#statements;
    return this.#db
      .transaction((): PromptVersion => {
        const productionRow = s.productionVersion.get(key) as VersionRow | undefined;
        if (productionRow === undefined) throw noProductionError(key.promptName, key.kind);
        const production = versionFromRow(productionRow);
        const targetRow = s.rollbackCandidate.get({ ...key, major: productionRow.major, minor: productionRow.minor, patch: productionRow.patch }) as
          | VersionRow
          | undefined;
        if (targetRow === undefined) throw noRollbackTargetError(production);
        s.setStatus.run({ ...key, major: productionRow.major, minor: productionRow.minor, patch: productionRow.patch, status: 'deprecated' });
        s.setStatus.run({ ...key, major: targetRow.major, minor: targetRow.minor, patch: targetRow.patch, status: 'production' });
        return { ...versionFromRow(targetRow), status: 'production' };
      })
      .immediate();
  }

  async diffVersions(promptName: string, kind: VersionedPromptKind, from: string, to: string): Promise<VersionDiff> {
    this.#assertOpen();
    const key = parsePromptKey(promptName, kind);
    const fromNumber = parseVersionNumber('from', from).number;
    const toNumber = parseVersionNumber('to', to).number;
    return this.#db.transaction(() =>
      buildVersionDiff(
        versionFromRow(this.#requireVersionRow(key.promptName, key.kind, fromNumber)),
        versionFromRow(this.#requireVersionRow(key.promptName, key.kind, toNumber)),
      ),
    )();
  }

  async createExperiment(input: CreateExperimentInput): Promise<Experiment> {
    this.#assertOpen();
    const data = parseStoreInput('input', createExperimentInputSchema, input);
    const s = this.#statements;
    return this.#db
      .transaction((): Experiment => {
        for (const variant of data.variants) {
          if (this.#versionRow(data.promptName, data.kind, parseSemanticVersion(variant.version)!) === undefined) {
            throw variantVersionNotFoundError(data.promptName, data.kind, variant);
          }
        }
        const now = new Date().toISOString();
        const experiment: Experiment = {
          id: data.id ?? randomUUID(),
          promptName: data.promptName,
          kind: data.kind,
          variants: data.variants.map((variant) => ({ ...variant })),
          controlVariant: data.controlVariant ?? data.variants[0]!.name,
          primaryMetric: data.primaryMetric,
          status: data.status ?? 'running',
          winner: null,
          startedAt: data.startedAt ?? now,
          endedAt: null,
          createdAt: now,
        };
        try {
          s.insertExperiment.run({
            id: experiment.id,
            promptName: experiment.promptName,
            kind: experiment.kind,
            controlVariant: experiment.controlVariant,
            primaryMetric: experiment.primaryMetric,
            status: experiment.status,
            startedAt: experiment.startedAt,
            createdAt: experiment.createdAt,
          });
        } catch (error) {
          if (isUniqueViolation(error)) throw new PromptStoreError('conflict', `an experiment "${experiment.id}" exists already`);
          throw error;
        }
        experiment.variants.forEach((variant, position) => {
          s.insertVariant.run({
            experimentId: experiment.id,
            name: variant.name,
            position,
            promptName: experiment.promptName,
            kind: experiment.kind,
            ...parseSemanticVersion(variant.version)!,
            weight: variant.weight,
          });
        });
        return experiment;
      })
      .immediate();
  }

  async getExperiment(experimentId: string): Promise<Experiment | null> {
    this.#assertOpen();
    const id = parseName('experimentId', experimentId);
    return this.#experiment(id) ?? null;
  }

  async listExperiments(filter: ListExperimentsFilter = {}): Promise<Experiment[]> {
    this.#assertOpen();
    const { promptName = null, status = null } = parseStoreInput('filter', listExperimentsFilterSchema, filter);
    const s = this.#statements;
    // Two statements, one snapshot: a read transaction.
    return this.#db.transaction(() => {
      const rows = s.listExperiments.all({ promptName, status }) as ExperimentRow[];
      const variants = s.listExperimentVariants.all({ promptName, status }) as VariantRow[];
      return rows.map((row) => experimentFromRows(row, variants.filter((variant) => variant.experiment_id === row.id)));
    })();
  }

  async updateExperimentStatus(experimentId: string, status: ExperimentStatus, options: UpdateExperimentStatusOptions = {}): Promise<Experiment> {
    this.#assertOpen();
    const id = parseName('experimentId', experimentId);
    const newStatus = parseStoreInput('status', experimentStatusSchema, status);
    const chosen = parseStoreInput('options', updateExperimentStatusOptionsSchema, options);
    return this.#db
      .transaction((): Experiment => {
        const current = this.#experiment(id);
        if (current === undefined) throw experimentNotFoundError(id);
        const change = planExperimentStatusChange(current, newStatus, chosen, new Date().toISOString());
        if (change === undefined) return current;
        this.#statements.updateExperimentStatus.run({ id, ...change });
        return { ...current, ...change };
      })
      .immediate();
  }

  async assign(experimentId: string, unitId: string, variant: string): Promise<Assignment> {
    this.#assertOpen();
    const data = parseStoreInput('assignment', assignInputSchema(), { experimentId, unitId, variant });
    const s = this.#statements;
    return this.#db
      .transaction((): Assignment => {
        this.#requireVariants(data.experimentId, [data.variant]);
        // Insert-or-ignore, then read: whoever inserted first, that row is the answer.
        s.insertAssignment.run({ ...data, assignedAt: new Date().toISOString() });
        return assignmentFromRow(s.getAssignment.get(data) as AssignmentRow);
      })
      .immediate();
  }

  async getAssignment(experimentId: string, unitId: string): Promise<Assignment | null> {
    this.#assertOpen();
    const row = this.#statements.getAssignment.get({ experimentId: parseName('experimentId', experimentId), unitId: parseName('unitId', unitId) }) as
      | AssignmentRow
      | undefined;
    return row === undefined ? null : assignmentFromRow(row);
  }

  async countAssignments(experimentId: string): Promise<Record<string, number>> {
    this.#assertOpen();
    const id = parseName('experimentId', experimentId);
    return this.#db.transaction(() => {
      const counts: Record<string, number> = {};
      for (const name of this.#requireVariants(id, [])) counts[name] = 0;
      for (const row of this.#statements.countAssignments.all({ experimentId: id }) as { variant: string; count: number }[]) {
        counts[row.variant] = row.count;
      }
      return counts;
    })();
  }

  async recordEvents(events: readonly MetricEventInput[]): Promise<MetricEvent[]> {
    this.#assertOpen();
    const batch = parseStoreInput('events', metricEventBatchSchema(), events);
    if (batch.length === 0) return [];
    const s = this.#statements;
    return this.#db
      .transaction((): MetricEvent[] => {
        // Every event is checked before any is inserted; a throw rolls the transaction back anyway.
        const variantsByExperiment = new Map<string, Set<string>>();
        for (const event of batch) {
          let variants = variantsByExperiment.get(event.experimentId);
          if (variants === undefined) {
            variants = new Set(this.#requireVariants(event.experimentId, []));
            variantsByExperiment.set(event.experimentId, variants);
          }
          if (!variants.has(event.variant)) throw variantNotFoundError(event.experimentId, event.variant);
        }
        const now = new Date().toISOString();
        return batch.map((event): MetricEvent => {
          const recordedAt = event.recordedAt ?? now;
          const metadata = event.metadata ?? null;
          const { lastInsertRowid } = s.insertEvent.run(
            event.experimentId,
            event.variant,
            event.unitId,
            event.metric,
            event.value,
            recordedAt,
            metadata === null ? null : JSON.stringify(metadata),
          );
          return {
            id: Number(lastInsertRowid),
            experimentId: event.experimentId,
            variant: event.variant,
            unitId: event.unitId,
            metric: event.metric,
            value: event.value,
            recordedAt,
            metadata,
          };
        });
      })
      .immediate();
  }

  async listEvents(experimentId: string, options: ListEventsOptions = {}): Promise<MetricEvent[]> {
    this.#assertOpen();
    const id = parseName('experimentId', experimentId);
    const { afterId = 0, limit = 1_000 } = parseStoreInput('options', listEventsOptionsSchema, options);
    return this.#db.transaction(() => {
      this.#requireExperimentExists(id);
      return (this.#statements.listEvents.all({ experimentId: id, afterId, limit }) as EventRow[]).map(eventFromRow);
    })();
  }

  async summarizeEvents(experimentId: string): Promise<MetricSummary[]> {
    this.#assertOpen();
    const id = parseName('experimentId', experimentId);
    return this.#db.transaction(() => {
      this.#requireExperimentExists(id);
      return (this.#statements.summarizeEvents.all({ experimentId: id }) as SummaryRow[])
        .map(
          (row): MetricSummary => ({
            variant: row.variant,
            metric: row.metric,
            count: row.count,
            sum: row.sum,
            sumOfSquares: row.sum_of_squares,
            min: row.min,
            max: row.max,
            distinctUnits: row.distinct_units,
          }),
        )
        .sort(compareMetricSummaries);
    })();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new PromptStoreError('closed', 'the prompt store is closed');
  }

  #versionRow(promptName: string, kind: VersionedPromptKind, number: SemanticVersion): VersionRow | undefined {
    return this.#statements.getVersion.get({ promptName, kind, ...number }) as VersionRow | undefined;
  }

  #requireVersionRow(promptName: string, kind: VersionedPromptKind, number: SemanticVersion): VersionRow {
    const row = this.#versionRow(promptName, kind, number);
    if (row === undefined) throw versionNotFoundError(promptName, kind, formatSemanticVersion(number));
    return row;
  }

  #experiment(id: string): Experiment | undefined {
    const row = this.#statements.getExperiment.get({ id }) as ExperimentRow | undefined;
    if (row === undefined) return undefined;
    return experimentFromRows(row, this.#statements.getVariants.all({ experimentId: id }) as VariantRow[]);
  }

  #requireExperimentExists(id: string): void {
    if (this.#statements.experimentExists.get({ id }) === undefined) throw experimentNotFoundError(id);
  }

  // The experiment's variant names; throws unless the experiment exists and has each of `required`.
  #requireVariants(experimentId: string, required: readonly string[]): string[] {
    const names = (this.#statements.getVariantNames.all({ experimentId }) as { name: string }[]).map((row) => row.name);
    // Every experiment has at least two variants, so none means no experiment.
    if (names.length === 0) throw experimentNotFoundError(experimentId);
    for (const name of required) if (!names.includes(name)) throw variantNotFoundError(experimentId, name);
    return names;
  }
}

function prepareStatements(db: Database.Database) {
  const versionColumns = 'prompt_name, kind, major, minor, patch, template, parent_version, author, message, tags, status, created_at';
  const experimentFilter = '(@promptName IS NULL OR prompt_name = @promptName) AND (@status IS NULL OR status = @status)';
  return {
    latestVersion: db.prepare(
      `SELECT ${versionColumns} FROM prompt_versions WHERE prompt_name = @promptName AND kind = @kind ORDER BY major DESC, minor DESC, patch DESC LIMIT 1`,
    ),
    latestVersionWithStatus: db.prepare(
      `SELECT ${versionColumns} FROM prompt_versions WHERE prompt_name = @promptName AND kind = @kind
       AND status IN (SELECT value FROM json_each(@statuses)) ORDER BY major DESC, minor DESC, patch DESC LIMIT 1`,
    ),
    getVersion: db.prepare(`SELECT ${versionColumns} FROM prompt_versions WHERE ${VERSION_KEY}`),
    listVersions: db.prepare(
      `SELECT ${versionColumns} FROM prompt_versions WHERE prompt_name = @promptName AND kind = @kind ORDER BY major, minor, patch`,
    ),
    listPromptNames: db.prepare('SELECT DISTINCT prompt_name FROM prompt_versions WHERE kind = @kind'),
    insertVersion: db.prepare(
      `INSERT INTO prompt_versions (${versionColumns}) VALUES
       (@promptName, @kind, @major, @minor, @patch, @template, @parentVersion, @author, @message, @tags, @status, @createdAt)`,
    ),
    setStatus: db.prepare(`UPDATE prompt_versions SET status = @status WHERE ${VERSION_KEY}`),
    demoteProduction: db.prepare(
      "UPDATE prompt_versions SET status = 'active' WHERE prompt_name = @promptName AND kind = @kind AND status = 'production'",
    ),
    productionVersion: db.prepare(
      `SELECT ${versionColumns} FROM prompt_versions WHERE prompt_name = @promptName AND kind = @kind AND status = 'production'`,
    ),
    rollbackCandidate: db.prepare(
      `SELECT ${versionColumns} FROM prompt_versions WHERE prompt_name = @promptName AND kind = @kind AND status = 'active'
       AND (major, minor, patch) < (@major, @minor, @patch) ORDER BY major DESC, minor DESC, patch DESC LIMIT 1`,
    ),
    insertExperiment: db.prepare(
      `INSERT INTO experiments (id, prompt_name, kind, control_variant, primary_metric, status, winner, started_at, ended_at, created_at)
       VALUES (@id, @promptName, @kind, @controlVariant, @primaryMetric, @status, NULL, @startedAt, NULL, @createdAt)`,
    ),
    insertVariant: db.prepare(
      `INSERT INTO experiment_variants (experiment_id, name, position, prompt_name, kind, major, minor, patch, weight)
       VALUES (@experimentId, @name, @position, @promptName, @kind, @major, @minor, @patch, @weight)`,
    ),
    getExperiment: db.prepare('SELECT * FROM experiments WHERE id = @id'),
    experimentExists: db.prepare('SELECT 1 FROM experiments WHERE id = @id'),
    getVariants: db.prepare('SELECT * FROM experiment_variants WHERE experiment_id = @experimentId ORDER BY position'),
    getVariantNames: db.prepare('SELECT name FROM experiment_variants WHERE experiment_id = @experimentId ORDER BY position'),
    listExperiments: db.prepare(`SELECT * FROM experiments WHERE ${experimentFilter} ORDER BY rowid`),
    listExperimentVariants: db.prepare(
      `SELECT v.* FROM experiment_variants v WHERE v.experiment_id IN (SELECT id FROM experiments WHERE ${experimentFilter})
       ORDER BY v.experiment_id, v.position`,
    ),
    updateExperimentStatus: db.prepare('UPDATE experiments SET status = @status, winner = @winner, ended_at = @endedAt WHERE id = @id'),
    insertAssignment: db.prepare(
      `INSERT INTO assignments (experiment_id, unit_id, variant, assigned_at) VALUES (@experimentId, @unitId, @variant, @assignedAt)
       ON CONFLICT (experiment_id, unit_id) DO NOTHING`,
    ),
    getAssignment: db.prepare('SELECT * FROM assignments WHERE experiment_id = @experimentId AND unit_id = @unitId'),
    countAssignments: db.prepare('SELECT variant, COUNT(*) AS count FROM assignments WHERE experiment_id = @experimentId GROUP BY variant'),
    insertEvent: db.prepare(
      'INSERT INTO metric_events (experiment_id, variant, unit_id, metric, value, recorded_at, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    listEvents: db.prepare(
      'SELECT * FROM metric_events WHERE experiment_id = @experimentId AND id > @afterId ORDER BY id LIMIT @limit',
    ),
    summarizeEvents: db.prepare(
      `SELECT variant, metric, COUNT(*) AS count, SUM(value) AS sum, SUM(value * value) AS sum_of_squares,
              MIN(value) AS min, MAX(value) AS max, COUNT(DISTINCT unit_id) AS distinct_units
       FROM metric_events WHERE experiment_id = @experimentId GROUP BY variant, metric`,
    ),
  };
}

function versionString(row: { major: number; minor: number; patch: number }): string {
  return formatSemanticVersion({ major: row.major, minor: row.minor, patch: row.patch });
}

function versionFromRow(row: VersionRow): PromptVersion {
  return {
    promptName: row.prompt_name,
    kind: row.kind,
    version: versionString(row),
    template: JSON.parse(row.template) as Record<string, unknown>,
    parentVersion: row.parent_version,
    author: row.author,
    message: row.message,
    tags: JSON.parse(row.tags) as string[],
    status: row.status,
    createdAt: row.created_at,
  };
}

function experimentFromRows(row: ExperimentRow, variants: readonly VariantRow[]): Experiment {
  return {
    id: row.id,
    promptName: row.prompt_name,
    kind: row.kind,
    variants: variants.map((variant) => ({ name: variant.name, version: versionString(variant), weight: variant.weight })),
    controlVariant: row.control_variant,
    primaryMetric: row.primary_metric,
    status: row.status,
    winner: row.winner,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    createdAt: row.created_at,
  };
}

function assignmentFromRow(row: AssignmentRow): Assignment {
  return { experimentId: row.experiment_id, unitId: row.unit_id, variant: row.variant, assignedAt: row.assigned_at };
}

function eventFromRow(row: EventRow): MetricEvent {
  return {
    id: row.id,
    experimentId: row.experiment_id,
    variant: row.variant,
    unitId: row.unit_id,
    metric: row.metric,
    value: row.value,
    recordedAt: row.recorded_at,
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
  };
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
