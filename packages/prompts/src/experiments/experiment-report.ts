import type { Experiment } from '../store/experiment.js';
import type { MetricSummary } from '../store/metric-event.js';
import type { PromptStore } from '../store/prompt-store.js';
import { PromptStoreError } from '../store/prompt-store-error.js';
import { normaliseWeights } from './assignment/index.js';
import {
  meanInterval,
  sampleRatioMismatch,
  sequentialDecision,
  initialSequentialState,
  twoProportionTest,
  welchTest,
  wilsonInterval,
  type Bounds,
  type ExperimentDecision,
  type MetricDirection,
  type Summary,
} from './statistics/index.js';

/** Metrics whose values are 0 or 1: reported as rates with Wilson intervals and compared with the two-proportion test. */
export const BINARY_METRICS: ReadonlySet<string> = new Set(['success']);

/** Which way is better for each standard metric; others default to `higher-is-better` unless given. */
export const DEFAULT_METRIC_DIRECTIONS: Readonly<Record<string, MetricDirection>> = {
  success: 'higher-is-better',
  rating: 'higher-is-better',
  latency: 'lower-is-better',
  input_tokens: 'lower-is-better',
  output_tokens: 'lower-is-better',
  cost: 'lower-is-better',
};

/** Options of {@link experimentReport}. */
export interface ExperimentReportOptions {
  /** Overall false-positive bound of the decision; split across treatments (Bonferroni). Default 0.05. */
  alpha?: number | undefined;
  /** Confidence of the per-variant intervals. Default 0.95. */
  confidence?: number | undefined;
  /** Direction per metric, over {@link DEFAULT_METRIC_DIRECTIONS}. */
  directions?: Readonly<Record<string, MetricDirection>> | undefined;
  /** Metrics to treat as binary, over {@link BINARY_METRICS}. */
  binaryMetrics?: readonly string[] | undefined;
  /** Events per arm before any decision. Default 30. */
  minimumCount?: number | undefined;
  /** The clock of the report's `generatedAt`; tests pin it. Default: the current time. */
  now?: (() => Date) | undefined;
}

/** One metric of one variant. */
export interface MetricCell {
  /** Events recorded for this metric by this variant (events, not units: see `units`). */
  count: number;
  /** The mean of the values; for a binary metric, the success rate. */
  mean: number;
  /** The sample standard deviation (denominator `count - 1`); 0 with fewer than 2 events. */
  standardDeviation: number;
  /**
   * The interval for the mean at the report's `confidence`: `wilson` for binary metrics, Student `t`
   * otherwise (`lower = upper = mean` below 2 events).
   */
  interval: { lower: number; upper: number; method: 'wilson' | 't' };
  /** The smallest value recorded. */
  min: number;
  /** The largest value recorded. */
  max: number;
  /** How many distinct units recorded this metric. */
  units: number;
}

/** One row of the report table: a variant. */
export interface VariantRow {
  /** The variant's name. */
  variant: string;
  /** The prompt version (`major.minor.patch`) the variant serves. */
  version: string;
  /** The normalised weight (share of traffic asked for). */
  weight: number;
  /** True for the experiment's control variant. */
  isControl: boolean;
  /** How many units have been assigned this variant. */
  assignments: number;
  /** Share of all assignments this variant got. */
  observedShare: number;
  /** This variant's statistics by metric name; a metric it never recorded is absent. */
  metrics: Record<string, MetricCell>;
}

/** A treatment against the control on the primary metric. */
export interface VariantComparison {
  /** The treatment variant compared against the control. */
  variant: string;
  /** The metric compared: the experiment's primary metric. */
  metric: string;
  /** The fixed-sample test: `two-proportion` for binary metrics, `welch` otherwise. */
  test: 'two-proportion' | 'welch';
  /** Treatment mean minus control mean (a rate difference for binary metrics). */
  difference: number;
  /** Fixed-sample interval and p-value: descriptive, not valid for stopping decisions under peeking. */
  differenceInterval: Bounds;
  /** The fixed-sample test's two-sided p-value; 1 when an arm has fewer than 2 events or no variation. */
  fixedSamplePValue: number;
  /** The always-valid (mSPRT) p-value and decision: valid however often the report is looked at. */
  sequentialPValue: number;
  /**
   * Always-valid bounds for `difference` at the sequential test's alpha (the report's, split across
   * treatments).
   */
  confidenceSequence: Bounds;
  /** The sequential test's verdict on this treatment against the control. */
  decision: ExperimentDecision;
}

/** What `experimentReport` returns: plain data a CLI table or a web page can show. */
export interface ExperimentReport {
  /** When the report was made, as an ISO 8601 string (see `ExperimentReportOptions.now`). */
  generatedAt: string;
  /** The experiment's identity and state when the report was made. */
  experiment: Pick<Experiment, 'id' | 'promptName' | 'kind' | 'status' | 'primaryMetric' | 'controlVariant' | 'winner' | 'startedAt' | 'endedAt'>;
  /** One row per variant, in the experiment's variant order. */
  rows: VariantRow[];
  /**
   * The sample-ratio-mismatch check over the variants with positive weight: Pearson's `chiSquare`,
   * its `pValue` (1 when nothing is assigned yet), `mismatch` when `pValue < 0.001`, and
   * `totalAssignments` over all variants.
   */
  sampleRatio: { chiSquare: number; pValue: number; mismatch: boolean; totalAssignments: number };
  /** Each treatment against the control on the primary metric, in variant order. */
  comparisons: VariantComparison[];
  /** The overall verdict on the primary metric, across all treatments. */
  decision: {
    /**
     * `winner` names the best winning treatment, `harm` a harmful one; a sample-ratio mismatch forces
     * `insufficient-data`.
     */
    outcome: ExperimentDecision;
    /** The variant to ship when `outcome` is `winner`; the variant that hurts when `harm`. */
    variant?: string | undefined;
    /** The verdict in one human-readable sentence. */
    reason: string;
  };
}

/**
 * Builds an experiment's report from the store's aggregates (no raw events are loaded): per
 * variant counts, means and intervals for every metric, a sample-ratio-mismatch check, and each
 * treatment against the control on the primary metric with the mixture sequential test.
 *
 * The decision uses always-valid p-values (mSPRT), so it can be read after every event without
 * inflating false positives; with several treatments, alpha is split among them (Bonferroni).
 * Observations are events, not units: a unit that records the metric twice counts twice.
 * A sample-ratio mismatch overrides any winner: the assignment is broken, so no result is trusted.
 */
export async function experimentReport(store: PromptStore, experimentId: string, options: ExperimentReportOptions = {}): Promise<ExperimentReport> {
  const experiment = await store.getExperiment(experimentId);
  if (experiment === null) throw new PromptStoreError('not-found', `no experiment "${experimentId}"`);
  const [assignments, summaries] = await Promise.all([store.countAssignments(experimentId), store.summarizeEvents(experimentId)]);
  const confidence = options.confidence ?? 0.95;
  const binary = new Set([...BINARY_METRICS, ...(options.binaryMetrics ?? [])]);
  const directions = { ...DEFAULT_METRIC_DIRECTIONS, ...options.directions };

  const weights = normaliseWeights(experiment.variants.map((v) => ({ id: v.name, weight: v.weight })));
  const totalAssignments = Object.values(assignments).reduce((a, b) => a + b, 0);
  const byVariant = new Map<string, MetricSummary[]>();
  for (const summary of summaries) byVariant.set(summary.variant, [...(byVariant.get(summary.variant) ?? []), summary]);

  const rows: VariantRow[] = experiment.variants.map((variant, index) => {
    const metrics: Record<string, MetricCell> = {};
    for (const summary of byVariant.get(variant.name) ?? []) metrics[summary.metric] = metricCell(summary, binary.has(summary.metric), confidence);
    const count = assignments[variant.name] ?? 0;
    return {
      variant: variant.name,
      version: variant.version,
      weight: weights[index]!.weight,
      isControl: variant.name === experiment.controlVariant,
      assignments: count,
      observedShare: totalAssignments === 0 ? 0 : count / totalAssignments,
      metrics,
    };
  });

  // Variants with weight 0 get no traffic by design; the check covers the others.
  const live = rows.filter((r) => r.weight > 0);
  const srm =
    totalAssignments > 0 && live.length >= 2
      ? sampleRatioMismatch(
          live.map((r) => r.assignments),
          live.map((r) => r.weight),
        )
      : { chiSquare: 0, pValue: 1, mismatch: false };

  const primary = experiment.primaryMetric;
  const direction = directions[primary] ?? 'higher-is-better';
  const control = rows.find((r) => r.isControl)!;
  const treatments = rows.filter((r) => !r.isControl);
  const alpha = (options.alpha ?? 0.05) / Math.max(1, treatments.length);
  const comparisons = treatments.map((row) =>
    compare(row.variant, primary, summaryOf(byVariant.get(control.variant), primary), summaryOf(byVariant.get(row.variant), primary), {
      binary: binary.has(primary),
      direction,
      alpha,
      confidence,
      minimumCount: options.minimumCount ?? 30,
    }),
  );

  const now = options.now?.() ?? new Date();
  return {
    generatedAt: now.toISOString(),
    experiment: {
      id: experiment.id,
      promptName: experiment.promptName,
      kind: experiment.kind,
      status: experiment.status,
      primaryMetric: primary,
      controlVariant: experiment.controlVariant,
      winner: experiment.winner,
      startedAt: experiment.startedAt,
      endedAt: experiment.endedAt,
    },
    rows,
    sampleRatio: { chiSquare: srm.chiSquare, pValue: srm.pValue, mismatch: srm.mismatch, totalAssignments },
    comparisons,
    decision: decide(comparisons, srm.mismatch, control.variant, direction),
  };
}

/** Count, mean and sample variance from the store's sums. */
function summaryFromAggregates({ count, sum, sumOfSquares }: MetricSummary): Summary {
  if (count === 0) return { count: 0, mean: 0, variance: 0 };
  // Sums come from the database; clamp the rounding error that can make a zero variance negative.
  const variance = count < 2 ? 0 : Math.max(0, (sumOfSquares - (sum * sum) / count) / (count - 1));
  return { count, mean: sum / count, variance };
}

function metricCell(summary: MetricSummary, isBinary: boolean, confidence: number): MetricCell {
  const { sum, min, max, distinctUnits } = summary;
  const { count, mean, variance } = summaryFromAggregates(summary);
  let interval: MetricCell['interval'];
  if (isBinary) {
    const w = wilsonInterval(Math.round(sum), count, confidence);
    interval = { lower: w.lower, upper: w.upper, method: 'wilson' };
  } else if (count >= 2) {
    const t = meanInterval({ count, mean, variance }, confidence);
    interval = { lower: t.lower, upper: t.upper, method: 't' };
  } else {
    interval = { lower: mean, upper: mean, method: 't' };
  }
  return { count, mean, standardDeviation: Math.sqrt(variance), interval, min, max, units: distinctUnits };
}

function summaryOf(summaries: readonly MetricSummary[] | undefined, metric: string): Summary {
  const s = summaries?.find((m) => m.metric === metric);
  return s === undefined ? { count: 0, mean: 0, variance: 0 } : summaryFromAggregates(s);
}

function compare(
  variant: string,
  metric: string,
  control: Summary,
  treatment: Summary,
  options: { binary: boolean; direction: MetricDirection; alpha: number; confidence: number; minimumCount: number },
): VariantComparison {
  const { result } = sequentialDecision(initialSequentialState({ alpha: options.alpha, direction: options.direction, minimumCount: options.minimumCount }), {
    control,
    treatment,
  });
  let fixed: { difference: number; differenceInterval: Bounds; pValue: number } = {
    difference: treatment.mean - control.mean,
    differenceInterval: [-Infinity, Infinity],
    pValue: 1,
  };
  if (control.count >= 2 && treatment.count >= 2) {
    if (options.binary) {
      fixed = twoProportionTest(
        { successes: Math.round(control.mean * control.count), trials: control.count },
        { successes: Math.round(treatment.mean * treatment.count), trials: treatment.count },
        { confidence: options.confidence },
      );
    } else if (control.variance + treatment.variance > 0) {
      fixed = welchTest(control, treatment, { confidence: options.confidence });
    }
  }
  return {
    variant,
    metric,
    test: options.binary ? 'two-proportion' : 'welch',
    difference: fixed.difference,
    differenceInterval: fixed.differenceInterval,
    fixedSamplePValue: fixed.pValue,
    sequentialPValue: result.pValue,
    confidenceSequence: result.confidenceSequence,
    decision: result.decision,
  };
}

function decide(comparisons: readonly VariantComparison[], mismatch: boolean, control: string, direction: MetricDirection): ExperimentReport['decision'] {
  if (mismatch) {
    return { outcome: 'insufficient-data', reason: 'sample ratio mismatch: assignments do not match the weights, so no result can be trusted; check the assignment path' };
  }
  const better = (a: VariantComparison, b: VariantComparison): number => (direction === 'higher-is-better' ? b.difference - a.difference : a.difference - b.difference);
  const winners = comparisons.filter((c) => c.decision === 'winner').sort(better);
  if (winners.length > 0) {
    const best = winners[0]!;
    return { outcome: 'winner', variant: best.variant, reason: `${best.variant} beats ${control} on ${best.metric} (always-valid p = ${best.sequentialPValue.toPrecision(3)})` };
  }
  const harmful = comparisons.filter((c) => c.decision === 'harm');
  if (harmful.length > 0) {
    return { outcome: 'harm', variant: harmful[0]!.variant, reason: `${harmful[0]!.variant} is worse than ${control} on ${harmful[0]!.metric}; stop it` };
  }
  if (comparisons.some((c) => c.decision === 'insufficient-data')) {
    return { outcome: 'insufficient-data', reason: 'not enough events in every arm yet' };
  }
  return { outcome: 'no-difference-yet', reason: 'no treatment differs from the control at the chosen alpha yet' };
}
