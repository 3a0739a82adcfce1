import { z } from 'zod';
import { summarySchema, type Summary } from './summary.js';
import { lazySchema } from '../../lazy-schema.js';

/** Whether a larger value of the metric is good (conversion, quality score) or bad (latency, cost, error rate). */
export type MetricDirection = 'higher-is-better' | 'lower-is-better';

/**
 * What a check of a running experiment concludes:
 * - `winner`: the treatment is better than the control;
 * - `harm`: the treatment is worse (the control wins);
 * - `no-difference-yet`: enough data to test, no significant difference so far;
 * - `insufficient-data`: an arm is below the minimum count, or neither arm shows any variation yet.
 */
export type ExperimentDecision = 'winner' | 'harm' | 'no-difference-yet' | 'insufficient-data';

/** The arm a `winner` or `harm` decision favours. */
export type ExperimentArm = 'treatment' | 'control';

/**
 * One look at a two-arm experiment: each arm's cumulative summary so far (for a binary metric,
 * `proportionSummary(successes, trials)`). Differences are always `treatment − control`.
 */
export interface ExperimentLook {
  /** The control arm's cumulative summary. */
  control: Summary;
  /** The treatment arm's cumulative summary. */
  treatment: Summary;
}

export const experimentLookSchema = lazySchema(() => z.object({ control: summarySchema, treatment: summarySchema }));

export const metricDirectionSchema = lazySchema(() => z.enum(['higher-is-better', 'lower-is-better']));

/** The decision and favoured arm for a significant difference with the given sign. */
export function significantOutcome(
  direction: MetricDirection,
  differenceSign: number,
): { decision: 'winner' | 'harm'; winner: ExperimentArm } {
  const treatmentBetter = direction === 'higher-is-better' ? differenceSign > 0 : differenceSign < 0;
  return treatmentBetter ? { decision: 'winner', winner: 'treatment' } : { decision: 'harm', winner: 'control' };
}
