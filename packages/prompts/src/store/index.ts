// Versioned prompts, experiments, sticky assignments and metric events: the PromptStore contract,
// its records and the in-memory backend. The SQLite and PostgreSQL backends are the subpaths
// `@kit/prompts/sqlite` and `@kit/prompts/postgres`, so this entry never loads a database driver.
export type { PromptStore } from './prompt-store.js';
export { PromptStoreError, type PromptStoreErrorReason } from './prompt-store-error.js';
export { MemoryPromptStore } from './memory/memory-prompt-store.js';
export {
  promptVersionSchema,
  promptVersionStatusSchema,
  createPromptVersionInputSchema,
  createVersionOptionsSchema,
  latestVersionOptionsSchema,
  settableVersionStatusSchema,
  type PromptVersion,
  type PromptVersionStatus,
  type CreatePromptVersionInput,
  type CreateVersionOptions,
  type LatestVersionOptions,
  type SettableVersionStatus,
} from './prompt-version.js';
export {
  experimentStatusSchema,
  experimentVariantSchema,
  createExperimentInputSchema,
  listExperimentsFilterSchema,
  updateExperimentStatusOptionsSchema,
  type Experiment,
  type ExperimentStatus,
  type ExperimentVariant,
  type CreateExperimentInput,
  type ListExperimentsFilter,
  type UpdateExperimentStatusOptions,
} from './experiment.js';
export type { Assignment } from './assignment.js';
export {
  STANDARD_METRICS,
  metricEventInputSchema,
  listEventsOptionsSchema,
  type StandardMetric,
  type MetricEvent,
  type MetricEventInput,
  type ListEventsOptions,
  type MetricSummary,
} from './metric-event.js';
export { versionedPromptKindSchema, type VersionedPromptKind } from './store-field-schemas.js';
export {
  parseSemanticVersion,
  formatSemanticVersion,
  compareSemanticVersions,
  bumpSemanticVersion,
  type SemanticVersion,
  type VersionBump,
} from './semantic-version.js';
export { diffLines, renderUnifiedDiff, type DiffLine, type DiffLinesOptions, type UnifiedDiffOptions } from './line-diff.js';
export type { VersionDiff } from './version-diff.js';
export { STORE_SCHEMA_VERSION } from './store-schema-version.js';
