import { CONVERSATION_SCHEMA_VERSION } from '../conversation-record.js';
import { ConversationStoreError } from '../conversation-errors.js';
import { compareSchemaVersions, formatSchemaVersion, parseSchemaVersion, type SchemaVersion } from './schema-version.js';

/** The records that carry a schema version of their own: nodes, and conversation headers. */
export type SchemaRecordKind = 'node' | 'header';

/** A stored record, as JSON, before it is validated against the current schema. */
export type StoredRecord = Record<string, unknown>;

/**
 * One step that rewrites a record from schema `from` to schema `to`. `migrate` gets a private copy
 * (it may change it in place) and returns the record in the `to` shape; the registry sets
 * `schemaVersion` to `to` afterwards, so a step need not.
 */
export interface SchemaMigration {
  /** Which records the step applies to: nodes or conversation headers. */
  kind: SchemaRecordKind;
  /** The schema version, `MAJOR.MINOR`, of the records this step reads; one step per kind and version. */
  from: string;
  /** The schema version, `MAJOR.MINOR`, the step writes; newer than `from`, not past the current one. */
  to: string;
  /** What changed, for errors and documentation. */
  description: string;
  /** Rewrites one record from schema `from` to schema `to`. */
  migrate(record: StoredRecord): StoredRecord;
}

/**
 * The migration steps a store applies on load. A record older than the current schema goes through
 * the chain of steps that starts at its version; versions compare numerically (1.10 > 1.9).
 *
 * - Same major, older minor, no step from it: read as it is (minor versions only add optional fields).
 * - Older major with no chain to the current major: `unsupported-schema`.
 * - Newer major: `unsupported-schema` (written by newer code; reading it could lose data).
 * - Newer minor: read as it is.
 * - A step that throws, or a record without a readable `schemaVersion`: `corrupt`.
 */
export class SchemaMigrations {
  /** The schema version records are brought to; newer majors cannot be read. */
  readonly current: SchemaVersion;
  readonly #steps = new Map<string, SchemaMigration>();

  /**
   * Builds a registry from `steps`.
   * @param currentVersion - The schema the code writes, `MAJOR.MINOR`; defaults to `CONVERSATION_SCHEMA_VERSION`.
   * @throws ConversationStoreError `invalid` when a step does not go forward, goes past
   *   `currentVersion`, or starts at the same kind and version as another; `corrupt` when a version
   *   is not `MAJOR.MINOR`.
   */
  constructor(steps: readonly SchemaMigration[] = [], currentVersion: string = CONVERSATION_SCHEMA_VERSION) {
    this.current = parseSchemaVersion(currentVersion);
    for (const step of steps) {
      const from = parseSchemaVersion(step.from);
      const to = parseSchemaVersion(step.to);
      if (compareSchemaVersions(from, to) >= 0) throw new ConversationStoreError('invalid', `a migration must go forward: ${step.kind} ${step.from} -> ${step.to}`);
      if (compareSchemaVersions(to, this.current) > 0) {
        throw new ConversationStoreError('invalid', `a migration cannot go past the current schema ${currentVersion}: ${step.kind} ${step.from} -> ${step.to}`);
      }
      const key = SchemaMigrations.#key(step.kind, from);
      if (this.#steps.has(key)) throw new ConversationStoreError('invalid', `two migrations start at ${step.kind} schema ${step.from}`);
      this.#steps.set(key, step);
    }
  }

  /** The steps, for listing. */
  get steps(): SchemaMigration[] {
    return [...this.#steps.values()];
  }

  /** A registry with these steps and `more`. */
  with(...more: SchemaMigration[]): SchemaMigrations {
    return new SchemaMigrations([...this.#steps.values(), ...more], formatSchemaVersion(this.current));
  }

  /**
   * Throws `unsupported-schema` when `version` has a newer major than this code reads; used for
   * the version of a store's own envelope records (file lines, rows), which have no steps.
   */
  assertReadable(version: unknown, what: string, conversationId?: string): SchemaVersion {
    const parsed = parseSchemaVersion(version, conversationId);
    if (parsed.major > this.current.major) {
      throw new ConversationStoreError(
        'unsupported-schema',
        `${what} has schema ${formatSchemaVersion(parsed)}, but this code reads schema ${this.current.major}.x: upgrade @kit/conversations to read it`,
        { conversationId },
      );
    }
    return parsed;
  }

  /** Brings one record to the current schema (see the class notes); returns a new object. */
  migrate(kind: SchemaRecordKind, record: unknown, conversationId?: string): StoredRecord {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new ConversationStoreError('corrupt', `a stored ${kind} is not an object`, { conversationId });
    }
    let version = this.assertReadable((record as StoredRecord)['schemaVersion'], `a stored ${kind}`, conversationId);
    if (compareSchemaVersions(version, this.current) >= 0) return record as StoredRecord;
    let migrated: StoredRecord = structuredClone(record as StoredRecord);
    while (compareSchemaVersions(version, this.current) < 0) {
      const step = this.#steps.get(SchemaMigrations.#key(kind, version));
      if (step === undefined) {
        if (version.major === this.current.major) break;
        throw new ConversationStoreError(
          'unsupported-schema',
          `no migration brings a ${kind} from schema ${formatSchemaVersion(version)} to ${formatSchemaVersion(this.current)}`,
          { conversationId },
        );
      }
      try {
        migrated = { ...step.migrate(migrated), schemaVersion: step.to };
      } catch (error) {
        throw new ConversationStoreError('corrupt', `the ${kind} migration ${step.from} -> ${step.to} (${step.description}) failed: ${(error as Error).message}`, {
          conversationId,
          cause: error,
        });
      }
      version = parseSchemaVersion(step.to);
    }
    return migrated;
  }

  static #key(kind: SchemaRecordKind, version: SchemaVersion): string {
    return `${kind}@${formatSchemaVersion(version)}`;
  }
}

/**
 * The steps this release ships: none yet. Schema 1.0 is the first schema @kit/conversations has
 * written, so there is no older record to migrate; the first change to the record shape adds its
 * step here, and stores pick it up on load.
 */
export const defaultSchemaMigrations = new SchemaMigrations();
