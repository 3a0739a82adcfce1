import { z } from 'zod';
import { normalQuantile } from './distributions.js';
import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
import { parseStatisticInput } from './statistic-input-validation.js';
import { lazySchema } from '../../lazy-schema.js';

/** Sample size for a binary metric (a conversion or success rate). */
export interface ProportionSampleSizeInput {
  /** The control's expected rate, in (0, 1). */
  baselineRate: number;
  /** The absolute change in rate to detect (0.02 = two percentage points); may be negative. */
  minimumDetectableEffect: number;
  /** Two-sided significance level; default 0.05. */
  alpha?: number;
  /** Probability of detecting an effect of exactly `minimumDetectableEffect`; default 0.8. */
  power?: number;
}

/** Sample size for a numeric metric (a score, a latency, a cost). */
export interface MeanSampleSizeInput {
  /** The metric's standard deviation per unit, assumed equal in both arms. */
  standardDeviation: number;
  /** The absolute change in mean to detect, in the metric's units; may be negative. */
  minimumDetectableEffect: number;
  /** Two-sided significance level; default 0.05. */
  alpha?: number;
  /** Probability of detecting an effect of exactly `minimumDetectableEffect`; default 0.8. */
  power?: number;
}

const level = (name: string) =>
  z.number().gt(0, `${name} must be between 0 and 1`).lt(1, `${name} must be between 0 and 1`);
const effect = () => z.number().finite('must be finite').refine((value) => value !== 0, 'must not be 0');

const proportionSchema = lazySchema(() =>
  z
    .object({ baselineRate: level('baselineRate'), minimumDetectableEffect: effect(), alpha: level('alpha').default(0.05), power: level('power').default(0.8) })
    .refine((input) => input.baselineRate + input.minimumDetectableEffect > 0 && input.baselineRate + input.minimumDetectableEffect < 1, {
      message: 'baselineRate + minimumDetectableEffect must stay between 0 and 1',
      path: ['minimumDetectableEffect'],
    }),
);

const meanSchema = lazySchema(() =>
  z.object({
    standardDeviation: z.number().finite('must be finite').positive('must be positive'),
    minimumDetectableEffect: effect(),
    alpha: level('alpha').default(0.05),
    power: level('power').default(0.8),
  }),
);

/**
 * Units needed **per variant** (two equal arms, two-sided test) to detect
 * `minimumDetectableEffect` with probability `power` at level `alpha`, by the normal approximation.
 *
 * - Proportions (`baselineRate` given): Fleiss, Levin & Paik, *Statistical Methods for Rates and
 *   Proportions* (3rd ed., 2003), eq. 4.14 without the continuity correction — the formula behind
 *   R's `power.prop.test` and the one that matches the pooled z-test of `twoProportionTest`:
 *
 *     n = [z₁₋α/₂ √(2 p̄ (1 − p̄)) + z₁₋β √(p₁(1 − p₁) + p₂(1 − p₂))]² / (p₂ − p₁)²,
 *     p₁ = baselineRate, p₂ = p₁ + minimumDetectableEffect, p̄ = (p₁ + p₂) / 2.
 *
 *   Baseline 10 %, effect +2 points, α 0.05, power 0.8 → 3,841 per arm.
 * - Means (`standardDeviation` given): the two-sample z formula
 *   `n = 2 (z₁₋α/₂ + z₁₋β)² σ² / δ²` (e.g. Chow, Shao & Wang, *Sample Size Calculations in Clinical
 *   Research*, §3.2); σ = 1, δ = 0.5 → 63 per arm (a t-based calculation adds one or two).
 *
 * The result is rounded up to a whole unit.
 *
 * @throws InvalidStatisticInputError when the input is neither form, or a field is out of range.
 */
export function requiredSampleSize(input: ProportionSampleSizeInput | MeanSampleSizeInput): number {
  if (typeof input !== 'object' || input === null) {
    throw new InvalidStatisticInputError('requiredSampleSize', 'expects an object with baselineRate or standardDeviation');
  }
  const hasRate = 'baselineRate' in input;
  const hasDeviation = 'standardDeviation' in input;
  if (hasRate === hasDeviation) {
    throw new InvalidStatisticInputError('requiredSampleSize', 'give exactly one of baselineRate (a rate) or standardDeviation (a mean)');
  }
  if (hasRate) {
    const { baselineRate: p1, minimumDetectableEffect: delta, alpha, power } = parseStatisticInput('requiredSampleSize', proportionSchema(), input);
    const p2 = p1 + delta;
    const pBar = (p1 + p2) / 2;
    const root = normalQuantile(1 - alpha / 2) * Math.sqrt(2 * pBar * (1 - pBar)) + normalQuantile(power) * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
    return Math.ceil((root * root) / (delta * delta));
  }
  const { standardDeviation: sigma, minimumDetectableEffect: delta, alpha, power } = parseStatisticInput('requiredSampleSize', meanSchema(), input);
  const zSum = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  return Math.ceil((2 * zSum * zSum * sigma * sigma) / (delta * delta));
}
