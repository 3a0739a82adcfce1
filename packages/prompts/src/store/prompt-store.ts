import type { Assignment } from './assignment.js';
import type { CreateExperimentInput, Experiment, ExperimentStatus, ListExperimentsFilter, UpdateExperimentStatusOptions } from './experiment.js';
import type { ListEventsOptions, MetricEvent, MetricEventInput, MetricSummary } from './metric-event.js';
import type {
  CreatePromptVersionInput,
  CreateVersionOptions,
  LatestVersionOptions,
  PromptVersion,
  SettableVersionStatus,
} from './prompt-version.js';
import type { VersionedPromptKind } from './store-field-schemas.js';
import type { VersionDiff } from './version-diff.js';

/**
 * Durable storage for prompt versions, experiments, sticky assignments and metric events. Every
 * backend (memory, SQLite, PostgreSQL) passes the same conformance suite.
 *
 * Every method validates its arguments first and throws `PromptStoreError` (with a `reason`) on
 * purpose; a call that throws has written nothing, except an `unavailable` write whose database
 * connection was lost while it committed (its message says it may or may not have been stored,
 * and it is not `retryable`: most writes here would be applied twice). Each write is one
 * transaction.
 */
export interface PromptStore {
  // Versions.

  /**
   * Stores a new version. Its number is `options.version`, or the latest version bumped by
   * `options.bump` (default `patch`; the first version is 1.0.0). `parentVersion` defaults to the
   * latest version. Writers of one prompt are serialised, so two concurrent creates get different
   * numbers; a number that exists is a `conflict`, and so is a stale `expectedLatestVersion`.
   */
  createVersion(input: CreatePromptVersionInput, options?: CreateVersionOptions): Promise<PromptVersion>;
  /** One version, or `null`. */
  getVersion(promptName: string, kind: VersionedPromptKind, version: string): Promise<PromptVersion | null>;
  /** Every version of a prompt, ascending by number (1.9.0 before 1.10.0). */
  listVersions(promptName: string, kind: VersionedPromptKind): Promise<PromptVersion[]>;
  /** The highest-numbered version (among `statuses`, if given), or `null`. */
  latestVersion(promptName: string, kind: VersionedPromptKind, options?: LatestVersionOptions): Promise<PromptVersion | null>;
  /** Names of the prompts of a kind that have versions, sorted. */
  listPromptNames(kind: VersionedPromptKind): Promise<string[]>;
  /**
   * Sets a status other than production. Setting it on the production version leaves the prompt
   * without one.
   */
  setVersionStatus(promptName: string, kind: VersionedPromptKind, version: string, status: SettableVersionStatus): Promise<PromptVersion>;
  /**
   * Makes a draft or active version the production one, and the previous production version
   * `active`, in one transaction (at most one production version per prompt, enforced by the
   * database too). Deprecated and archived versions must be set active first (`invalid-state`).
   * Promoting the production version returns it unchanged.
   */
  promoteToProduction(promptName: string, kind: VersionedPromptKind, version: string): Promise<PromptVersion>;
  /**
   * Makes the newest `active` version older than the production one the production version, and
   * the current one `deprecated`; returns the new production version. `invalid-state` when there
   * is no production version or no such older version.
   */
  rollback(promptName: string, kind: VersionedPromptKind): Promise<PromptVersion>;
  /** A line diff of two versions' template text, and which template fields differ. */
  diffVersions(promptName: string, kind: VersionedPromptKind, from: string, to: string): Promise<VersionDiff>;

  // Experiments.

  /** Stores an experiment; every variant's version must exist (`not-found` otherwise), checked in the insert's transaction. */
  createExperiment(input: CreateExperimentInput): Promise<Experiment>;
  /** One experiment, or `null`. */
  getExperiment(experimentId: string): Promise<Experiment | null>;
  /** Experiments, oldest first. */
  listExperiments(filter?: ListExperimentsFilter): Promise<Experiment[]>;
  /**
   * Moves an experiment between running and paused, or completes it (setting `endedAt`, and
   * `winner` if given). Completed is final (`invalid-state`); a stale `expectedStatus` is a
   * `conflict`. Setting the current status returns the experiment unchanged.
   */
  updateExperimentStatus(experimentId: string, status: ExperimentStatus, options?: UpdateExperimentStatusOptions): Promise<Experiment>;

  // Assignments.

  /**
   * Stores that `unitId` sees `variant`, unless the unit has an assignment already: the first
   * stored assignment wins, even against a concurrent writer, and is what this returns. The
   * experiment's status is not checked: whether to assign is the caller's decision.
   */
  assign(experimentId: string, unitId: string, variant: string): Promise<Assignment>;
  /** The stored assignment, or `null`. */
  getAssignment(experimentId: string, unitId: string): Promise<Assignment | null>;
  /** Assignments per variant; every variant is present, 0 if it has none. */
  countAssignments(experimentId: string): Promise<Record<string, number>>;

  // Metric events.

  /**
   * Appends events in one transaction, all or nothing: each is validated (a finite value in the
   * metric's range, an existing experiment, one of its variants) before any is written. Events
   * are never updated or deleted. Events may be recorded whatever the experiment's status.
   * Returns the stored events with their ids.
   */
  recordEvents(events: readonly MetricEventInput[]): Promise<MetricEvent[]>;
  /** An experiment's events in id order, a page at a time (see `ListEventsOptions`). */
  listEvents(experimentId: string, options?: ListEventsOptions): Promise<MetricEvent[]>;
  /** Count, sum, sum of squares, min, max and distinct units per (variant, metric), sorted by variant then metric. */
  summarizeEvents(experimentId: string): Promise<MetricSummary[]>;

  /** Releases the store's resources; later calls fail with reason `closed`. */
  close(): Promise<void>;
}
