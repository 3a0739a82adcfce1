import { type CostLedger, type LanguageModelMiddleware, type LedgerEntry } from '@kit/llm';
import type { CreateExperimentInput, Experiment } from '../store/experiment.js';
import type { MetricEvent, MetricEventInput } from '../store/metric-event.js';
import type { PromptStore } from '../store/prompt-store.js';
import { PromptStoreError } from '../store/prompt-store-error.js';
import type { VersionedPromptKind } from '../store/store-field-schemas.js';
import { assignVariant, normaliseWeights } from './assignment/index.js';
import { experimentCallOf } from './experiment-call-keys.js';
import { experimentReport, type ExperimentReport, type ExperimentReportOptions } from './experiment-report.js';

/** The variant a unit sees. */
export interface VariantChoice {
  /** The experiment as stored now (status, variants, winner). */
  experiment: Experiment;
  /** The name of the variant the unit sees. */
  variant: string;
  /** The prompt version (`major.minor.patch`) that variant serves. */
  version: string;
  /** True when the variant comes from a stored assignment (running experiments); false for a paused or completed one's control or winner. */
  assigned: boolean;
}

/** What `recordMetric` takes: the variant defaults to the unit's stored assignment. */
export type RecordMetricInput = Omit<MetricEventInput, 'variant'> & { variant?: string | undefined };

/**
 * Runs experiments over a `PromptStore`: creates them with validated weights, assigns units
 * stickily (a hash of experiment and unit, stored so the first assignment wins for good),
 * records metrics, and reports.
 *
 * @example
 * const experiments = new ExperimentManager(store);
 * await experiments.createExperiment({ promptName: 'greeting', kind: 'system', primaryMetric: 'success',
 *   variants: [{ name: 'control', version: '1.0.0', weight: 1 }, { name: 'warm', version: '1.1.0', weight: 1 }] });
 * const { variant } = await experiments.variantFor(experimentId, 'user-42');
 * await experiments.recordMetric({ experimentId, unitId: 'user-42', metric: 'success', value: 1 });
 */
export class ExperimentManager {
  /** The store holding the experiments, assignments and metric events. */
  readonly store: PromptStore;

  /** Builds a manager over `store`; it keeps no state of its own. */
  constructor(store: PromptStore) {
    this.store = store;
  }

  /** Creates an experiment; weights are validated (negative, all zero, duplicates are typed errors) before the store is asked. */
  async createExperiment(input: CreateExperimentInput): Promise<Experiment> {
    normaliseWeights((input.variants ?? []).map((v) => ({ id: v.name, weight: v.weight })));
    return this.store.createExperiment(input);
  }

  /**
   * The variant `unitId` sees. A running experiment returns the stored assignment, making one
   * from the hash on first sight; a paused one serves its control and a completed one its winner
   * (or control), storing nothing.
   */
  async variantFor(experimentId: string, unitId: string): Promise<VariantChoice> {
    const experiment = await this.#experiment(experimentId);
    const versionOf = (name: string): string => experiment.variants.find((v) => v.name === name)!.version;
    if (experiment.status !== 'running') {
      const served = experiment.status === 'completed' && experiment.winner !== null ? experiment.winner : experiment.controlVariant;
      return { experiment, variant: served, version: versionOf(served), assigned: false };
    }
    const existing = await this.store.getAssignment(experimentId, unitId);
    const chosen =
      existing?.variant ??
      (
        await this.store.assign(
          experimentId,
          unitId,
          assignVariant(
            experimentId,
            unitId,
            experiment.variants.map((v) => ({ id: v.name, weight: v.weight })),
          ),
        )
      ).variant;
    return { experiment, variant: chosen, version: versionOf(chosen), assigned: true };
  }

  /** The running or paused experiment on a prompt, the oldest first, if any. */
  async activeExperimentFor(promptName: string, kind: VersionedPromptKind): Promise<Experiment | undefined> {
    const [running, paused] = await Promise.all([
      this.store.listExperiments({ promptName, status: 'running' }),
      this.store.listExperiments({ promptName, status: 'paused' }),
    ]);
    return [...running, ...paused].filter((e) => e.kind === kind).sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
  }

  /**
   * Records one metric for a unit. Without `variant`, the unit's stored assignment names it; a
   * unit with none is a `not-found` error. Unknown experiments or variants and non-finite values
   * are typed errors from the store, which then writes nothing.
   */
  async recordMetric(input: RecordMetricInput): Promise<MetricEvent> {
    let variant = input.variant;
    if (variant === undefined) {
      const assignment = await this.store.getAssignment(input.experimentId, input.unitId);
      if (assignment === null) {
        throw new PromptStoreError('not-found', `unit "${input.unitId}" has no assignment in experiment "${input.experimentId}"; pass its variant`);
      }
      variant = assignment.variant;
    }
    const [event] = await this.store.recordEvents([{ ...input, variant }]);
    return event!;
  }

  /** Records the primary binary outcome: `success` 1 or 0. */
  recordSuccess(experimentId: string, unitId: string, success: boolean): Promise<MetricEvent> {
    return this.recordMetric({ experimentId, unitId, metric: 'success', value: success ? 1 : 0 });
  }

  /**
   * The experiment's report now: per-variant metrics with intervals, the sample-ratio check, and
   * the decision on the primary metric (see {@link experimentReport}).
   */
  report(experimentId: string, options?: ExperimentReportOptions): Promise<ExperimentReport> {
    return experimentReport(this.store, experimentId, options);
  }

  /**
   * Records `input_tokens`, `output_tokens` and `cost` (USD, when the price is known) for every
   * call the ledger records under an experiment arm's keys (see `experimentCallKeys`). Returns
   * the unsubscribe function. Failures to record go to `onError` (default `console.error`) and
   * never fail the call.
   */
  trackLedger(ledger: CostLedger, onError: (error: unknown) => void = (e) => console.error('experiment metrics: recording failed', e)): () => void {
    return ledger.onRecord((entry) => {
      const events = ledgerEvents(entry);
      if (events.length > 0) this.store.recordEvents(events).catch(onError);
    });
  }

  /**
   * A middleware that records each call's `latency` (milliseconds to the reply, or to the end of
   * a stream) for requests whose metadata carries an experiment arm's keys. Put it outside
   * `retry` to measure what the user waited, inside to measure one attempt.
   */
  latencyMiddleware(onError: (error: unknown) => void = (e) => console.error('experiment metrics: recording failed', e)): LanguageModelMiddleware {
    const record = (metadata: Readonly<Record<string, unknown>> | undefined, startedAt: number): void => {
      const call = experimentCallOf(metadata);
      if (call === undefined) return;
      this.store
        .recordEvents([{ experimentId: call.experimentId, variant: call.variant, unitId: call.unitId, metric: 'latency', value: performance.now() - startedAt }])
        .catch(onError);
    };
    return {
      name: 'experiment-latency',
      async complete(request, next) {
        const startedAt = performance.now();
        const response = await next(request);
        record(request.metadata, startedAt);
        return response;
      },
      async *stream(request, next) {
        const startedAt = performance.now();
        yield* next(request);
        record(request.metadata, startedAt);
      },
    };
  }

  async #experiment(experimentId: string): Promise<Experiment> {
    const experiment = await this.store.getExperiment(experimentId);
    if (experiment === null) throw new PromptStoreError('not-found', `no experiment "${experimentId}"`);
    return experiment;
  }
}

function ledgerEvents(entry: LedgerEntry): MetricEventInput[] {
  const call = experimentCallOf(entry.keys);
  if (call === undefined) return [];
  const base = { experimentId: call.experimentId, variant: call.variant, unitId: call.unitId, recordedAt: entry.time.toISOString() };
  const events: MetricEventInput[] = [];
  if (entry.usage !== undefined) {
    events.push({ ...base, metric: 'input_tokens', value: entry.usage.inputTokens });
    events.push({ ...base, metric: 'output_tokens', value: entry.usage.outputTokens });
  }
  if (entry.cost.known) events.push({ ...base, metric: 'cost', value: entry.cost.usd });
  return events;
}
