import type * as Crypto from 'node:crypto';
import { lazyDependency, require } from '../../lazy-dependency.js';
import type { Assignment } from '../assignment.js';
import { assignInputSchema } from '../assignment.js';
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
  type SettableVersionStatus,
} from '../prompt-version.js';
import { formatSemanticVersion } from '../semantic-version.js';
import { parseKind, parseName, parsePromptKey, parseVersionKey, parseVersionNumber } from '../store-arguments.js';
import type { VersionedPromptKind } from '../store-field-schemas.js';
import { buildVersionDiff, type VersionDiff } from '../version-diff.js';
import {
  assertPromotable,
  compareVersionStrings,
  isRollbackCandidate,
  noProductionError,
  noRollbackTargetError,
  planVersionNumber,
  versionExistsError,
  versionNotFoundError,
} from '../version-rules.js';

// Loaded with the first experiment created, not at import (see lazy-dependency.ts).
const loadCrypto = lazyDependency<typeof Crypto>(() => require('node:crypto'));

/**
 * A `PromptStore` in process memory, for tests, demos and single-process tools. Every method does
 * its work synchronously once called, so each call is atomic. Records handed in or out are copies.
 */
export class MemoryPromptStore implements PromptStore {
  // Versions per prompt, kept ascending by version number.
  readonly #versions = new Map<string, PromptVersion[]>();
  // Insertion order is creation order.
  readonly #experiments = new Map<string, Experiment>();
  readonly #assignments = new Map<string, Map<string, Assignment>>();
  readonly #events = new Map<string, MetricEvent[]>();
  #nextEventId = 1;
  #closed = false;

  async createVersion(input: CreatePromptVersionInput, options: CreateVersionOptions = {}): Promise<PromptVersion> {
    this.#assertOpen();
    const data = parseStoreInput('input', createPromptVersionInputSchema, input);
    const chosen = parseStoreInput('options', createVersionOptionsSchema, options);
    const list = this.#versionList(data.promptName, data.kind);
    const latest = list.at(-1)?.version;
    const version = formatSemanticVersion(planVersionNumber(data.promptName, latest, chosen));
    if (list.some((stored) => stored.version === version)) throw versionExistsError(data.promptName, data.kind, version);
    const parentVersion = data.parentVersion === undefined ? (latest ?? null) : data.parentVersion;
    if (parentVersion !== null && !list.some((stored) => stored.version === parentVersion)) {
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
    list.push(record);
    list.sort((a, b) => compareVersionStrings(a.version, b.version));
    this.#versions.set(promptKey(data.promptName, data.kind), list);
    return structuredClone(record);
  }

  async getVersion(promptName: string, kind: VersionedPromptKind, version: string): Promise<PromptVersion | null> {
    this.#assertOpen();
    const key = parseVersionKey(promptName, kind, version);
    const found = this.#findVersion(key.promptName, key.kind, key.version);
    return found === undefined ? null : structuredClone(found);
  }

  async listVersions(promptName: string, kind: VersionedPromptKind): Promise<PromptVersion[]> {
    this.#assertOpen();
    const key = parsePromptKey(promptName, kind);
    return structuredClone(this.#versionList(key.promptName, key.kind));
  }

  async latestVersion(promptName: string, kind: VersionedPromptKind, options: LatestVersionOptions = {}): Promise<PromptVersion | null> {
    this.#assertOpen();
    const key = parsePromptKey(promptName, kind);
    const { statuses } = parseStoreInput('options', latestVersionOptionsSchema, options);
    const candidates = this.#versionList(key.promptName, key.kind).filter((version) => statuses === undefined || statuses.includes(version.status));
    const latest = candidates.at(-1);
    return latest === undefined ? null : structuredClone(latest);
  }

  async listPromptNames(kind: VersionedPromptKind): Promise<string[]> {
    this.#assertOpen();
    const parsedKind = parseKind(kind);
    const names: string[] = [];
    for (const list of this.#versions.values()) {
      const first = list[0];
      if (first !== undefined && first.kind === parsedKind) names.push(first.promptName);
    }
    return names.sort(compareText);
  }

  async setVersionStatus(promptName: string, kind: VersionedPromptKind, version: string, status: SettableVersionStatus): Promise<PromptVersion> {
    this.#assertOpen();
    const key = parseVersionKey(promptName, kind, version);
    const newStatus = parseStoreInput('status', settableVersionStatusSchema, status);
    const found = this.#requireVersion(key.promptName, key.kind, key.version);
    found.status = newStatus;
    return structuredClone(found);
  }

  async promoteToProduction(promptName: string, kind: VersionedPromptKind, version: string): Promise<PromptVersion> {
    this.#assertOpen();
    const key = parseVersionKey(promptName, kind, version);
    const target = this.#requireVersion(key.promptName, key.kind, key.version);
    if (target.status === 'production') return structuredClone(target);
    assertPromotable(target);
    for (const stored of this.#versionList(key.promptName, key.kind)) if (stored.status === 'production') stored.status = 'active';
    target.status = 'production';
    return structuredClone(target);
  }

  async rollback(promptName: string, kind: VersionedPromptKind): Promise<PromptVersion> {
    this.#assertOpen();
    const key = parsePromptKey(promptName, kind);
    const list = this.#versionList(key.promptName, key.kind);
    const production = list.find((version) => version.status === 'production');
    if (production === undefined) throw noProductionError(key.promptName, key.kind);
    const target = list.filter((version) => isRollbackCandidate(version, production)).at(-1);
    if (target === undefined) throw noRollbackTargetError(production);
    production.status = 'deprecated';
    target.status = 'production';
    return structuredClone(target);
  }

  async diffVersions(promptName: string, kind: VersionedPromptKind, from: string, to: string): Promise<VersionDiff> {
    this.#assertOpen();
    const key = parsePromptKey(promptName, kind);
    const fromVersion = parseVersionNumber('from', from).version;
    const toVersion = parseVersionNumber('to', to).version;
    return buildVersionDiff(
      this.#requireVersion(key.promptName, key.kind, fromVersion),
      this.#requireVersion(key.promptName, key.kind, toVersion),
    );
  }

  async createExperiment(input: CreateExperimentInput): Promise<Experiment> {
    this.#assertOpen();
    const data = parseStoreInput('input', createExperimentInputSchema, input);
    for (const variant of data.variants) {
      if (this.#findVersion(data.promptName, data.kind, variant.version) === undefined) {
        throw variantVersionNotFoundError(data.promptName, data.kind, variant);
      }
    }
    const id = data.id ?? loadCrypto().randomUUID();
    if (this.#experiments.has(id)) throw new PromptStoreError('conflict', `an experiment "${id}" exists already`);
    const now = new Date().toISOString();
    const experiment: Experiment = {
      id,
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
    this.#experiments.set(id, experiment);
    return structuredClone(experiment);
  }

  async getExperiment(experimentId: string): Promise<Experiment | null> {
    this.#assertOpen();
    const found = this.#experiments.get(parseName('experimentId', experimentId));
    return found === undefined ? null : structuredClone(found);
  }

  async listExperiments(filter: ListExperimentsFilter = {}): Promise<Experiment[]> {
    this.#assertOpen();
    const { promptName, status } = parseStoreInput('filter', listExperimentsFilterSchema, filter);
    return [...this.#experiments.values()]
      .filter((experiment) => (promptName === undefined || experiment.promptName === promptName) && (status === undefined || experiment.status === status))
      .map((experiment) => structuredClone(experiment));
  }

  async updateExperimentStatus(experimentId: string, status: ExperimentStatus, options: UpdateExperimentStatusOptions = {}): Promise<Experiment> {
    this.#assertOpen();
    const id = parseName('experimentId', experimentId);
    const newStatus = parseStoreInput('status', experimentStatusSchema, status);
    const chosen = parseStoreInput('options', updateExperimentStatusOptionsSchema, options);
    const experiment = this.#requireExperiment(id);
    const change = planExperimentStatusChange(experiment, newStatus, chosen, new Date().toISOString());
    if (change !== undefined) Object.assign(experiment, change);
    return structuredClone(experiment);
  }

  async assign(experimentId: string, unitId: string, variant: string): Promise<Assignment> {
    this.#assertOpen();
    const data = parseStoreInput('assignment', assignInputSchema(), { experimentId, unitId, variant });
    const experiment = this.#requireExperiment(data.experimentId);
    if (!experiment.variants.some((candidate) => candidate.name === data.variant)) throw variantNotFoundError(data.experimentId, data.variant);
    let units = this.#assignments.get(data.experimentId);
    if (units === undefined) {
      units = new Map();
      this.#assignments.set(data.experimentId, units);
    }
    let assignment = units.get(data.unitId);
    if (assignment === undefined) {
      assignment = { ...data, assignedAt: new Date().toISOString() };
      units.set(data.unitId, assignment);
    }
    return { ...assignment };
  }

  async getAssignment(experimentId: string, unitId: string): Promise<Assignment | null> {
    this.#assertOpen();
    const found = this.#assignments.get(parseName('experimentId', experimentId))?.get(parseName('unitId', unitId));
    return found === undefined ? null : { ...found };
  }

  async countAssignments(experimentId: string): Promise<Record<string, number>> {
    this.#assertOpen();
    const id = parseName('experimentId', experimentId);
    const experiment = this.#requireExperiment(id);
    const counts: Record<string, number> = {};
    for (const variant of experiment.variants) counts[variant.name] = 0;
    for (const assignment of this.#assignments.get(id)?.values() ?? []) counts[assignment.variant] = (counts[assignment.variant] ?? 0) + 1;
    return counts;
  }

  async recordEvents(events: readonly MetricEventInput[]): Promise<MetricEvent[]> {
    this.#assertOpen();
    const batch = parseStoreInput('events', metricEventBatchSchema(), events);
    // Every event is checked before any is stored: all or nothing.
    batch.forEach((event) => {
      const experiment = this.#requireExperiment(event.experimentId);
      if (!experiment.variants.some((variant) => variant.name === event.variant)) throw variantNotFoundError(event.experimentId, event.variant);
    });
    const now = new Date().toISOString();
    const stored = batch.map(
      (event): MetricEvent => ({
        id: this.#nextEventId++,
        experimentId: event.experimentId,
        variant: event.variant,
        unitId: event.unitId,
        metric: event.metric,
        value: event.value,
        recordedAt: event.recordedAt ?? now,
        metadata: event.metadata ?? null,
      }),
    );
    for (const event of stored) {
      let list = this.#events.get(event.experimentId);
      if (list === undefined) {
        list = [];
        this.#events.set(event.experimentId, list);
      }
      list.push(event);
    }
    return structuredClone(stored);
  }

  async listEvents(experimentId: string, options: ListEventsOptions = {}): Promise<MetricEvent[]> {
    this.#assertOpen();
    const id = parseName('experimentId', experimentId);
    const { afterId = 0, limit = 1_000 } = parseStoreInput('options', listEventsOptionsSchema, options);
    this.#requireExperiment(id);
    const page = (this.#events.get(id) ?? []).filter((event) => event.id > afterId).slice(0, limit);
    return structuredClone(page);
  }

  async summarizeEvents(experimentId: string): Promise<MetricSummary[]> {
    this.#assertOpen();
    const id = parseName('experimentId', experimentId);
    this.#requireExperiment(id);
    const groups = new Map<string, MetricSummary & { units: Set<string> }>();
    for (const event of this.#events.get(id) ?? []) {
      const key = `${event.variant}\u0000${event.metric}`;
      let group = groups.get(key);
      if (group === undefined) {
        group = { variant: event.variant, metric: event.metric, count: 0, sum: 0, sumOfSquares: 0, min: event.value, max: event.value, distinctUnits: 0, units: new Set() };
        groups.set(key, group);
      }
      group.count++;
      group.sum += event.value;
      group.sumOfSquares += event.value * event.value;
      group.min = Math.min(group.min, event.value);
      group.max = Math.max(group.max, event.value);
      group.units.add(event.unitId);
    }
    return [...groups.values()]
      .map(({ units, ...summary }) => ({ ...summary, distinctUnits: units.size }))
      .sort(compareMetricSummaries);
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #assertOpen(): void {
    if (this.#closed) throw new PromptStoreError('closed', 'the prompt store is closed');
  }

  #versionList(promptName: string, kind: VersionedPromptKind): PromptVersion[] {
    return this.#versions.get(promptKey(promptName, kind)) ?? [];
  }

  #findVersion(promptName: string, kind: VersionedPromptKind, version: string): PromptVersion | undefined {
    return this.#versionList(promptName, kind).find((stored) => stored.version === version);
  }

  #requireVersion(promptName: string, kind: VersionedPromptKind, version: string): PromptVersion {
    const found = this.#findVersion(promptName, kind, version);
    if (found === undefined) throw versionNotFoundError(promptName, kind, version);
    return found;
  }

  #requireExperiment(experimentId: string): Experiment {
    const found = this.#experiments.get(experimentId);
    if (found === undefined) throw experimentNotFoundError(experimentId);
    return found;
  }
}

function promptKey(promptName: string, kind: VersionedPromptKind): string {
  return `${kind}\u0000${promptName}`;
}
