import { z } from 'zod';
import type { Bounds } from './interval.js';
import {
  experimentLookSchema,
  metricDirectionSchema,
  significantOutcome,
  type ExperimentArm,
  type ExperimentDecision,
  type ExperimentLook,
  type MetricDirection,
} from './experiment-decision.js';
import { parseStatisticInput } from './statistic-input-validation.js';
import { welchTest } from './welch-test.js';
import { lazySchema } from '../../lazy-schema.js';

/** Options of {@link decideFixedSample}. */
export interface FixedSampleOptions {
  /** Significance level; default 0.05. */
  alpha?: number;
  /** Whether a larger value of the metric is better or worse; decides `winner` versus `harm`. */
  direction: MetricDirection;
  /** Units each arm needs before any decision; default 30, as for the sequential test. */
  minimumCount?: number;
}

/**
 * The outcome of {@link decideFixedSample}: the p-value, the decision and the difference with its
 * interval.
 */
export interface FixedSampleResult {
  /** Welch's two-sided p-value at this look alone. */
  pValue: number;
  /** `insufficient-data` below `minimumCount` per arm or without variation, else by `pValue <= alpha`. */
  decision: ExperimentDecision;
  /** Set for `winner` (the treatment) and `harm` (the control); absent otherwise. */
  winner?: ExperimentArm;
  /** Welch's `1 − alpha` interval for `treatment − control`. */
  confidenceInterval: Bounds;
  /** `treatment.mean − control.mean` at this look. */
  difference: number;
}

const optionsSchema = lazySchema(() =>
  z.object({
    alpha: z.number().gt(0, 'must be between 0 and 1').lt(1, 'must be between 0 and 1').default(0.05),
    direction: metricDirectionSchema(),
    minimumCount: z.number().int('must be an integer').min(2, 'must be at least 2').max(Number.MAX_SAFE_INTEGER).default(30),
  }),
);

/**
 * The plain fixed-sample decision: Welch's test at level `alpha` on this look's data alone.
 *
 * **Invalid under peeking.** Its `alpha` holds only if the test is run once, at a sample size
 * fixed in advance. Checked at every look and stopped at the first significant one, its false
 * positive rate grows with the number of looks (about 30 % for 50 looks at α = 0.05 instead
 * of 5 %). It exists as the baseline that shows why `sequentialDecision` is needed; use it only
 * for one analysis at the planned sample size (see `requiredSampleSize`).
 */
export function decideFixedSample(look: ExperimentLook, options: FixedSampleOptions): FixedSampleResult {
  const { control, treatment } = parseStatisticInput('look', experimentLookSchema(), look);
  const { alpha, direction, minimumCount } = parseStatisticInput('options', optionsSchema(), options);
  const difference = treatment.mean - control.mean;
  const hasVariation = control.variance > 0 || treatment.variance > 0;
  if (control.count < minimumCount || treatment.count < minimumCount || !hasVariation) {
    return { pValue: 1, decision: 'insufficient-data', confidenceInterval: [-Infinity, Infinity], difference };
  }
  const test = welchTest(control, treatment, { confidence: 1 - alpha });
  const base = { pValue: test.pValue, confidenceInterval: test.differenceInterval, difference };
  if (test.pValue > alpha) return { ...base, decision: 'no-difference-yet' };
  return { ...base, ...significantOutcome(direction, Math.sign(difference)) };
}
