import { z } from 'zod';
import type { Bounds } from './interval.js';
import { normalQuantile, twoSidedNormalPValue } from './distributions.js';
import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
import { assertBinomial, assertOpenUnitInterval, parseStatisticInput } from './statistic-input-validation.js';
import { lazySchema } from '../../lazy-schema.js';

/** Successes out of trials in one variant (conversions out of exposed units, say). */
export interface BinomialCounts {
  /** Observations that were successes (1s): an integer from 0 to `trials`. */
  successes: number;
  /** All observations (0s and 1s): a non-negative integer; the test needs at least 1 per arm. */
  trials: number;
}

/** Options of {@link twoProportionTest}. */
export interface TwoProportionTestOptions {
  /** Confidence level of `differenceInterval`; default 0.95. */
  confidence?: number;
}

/**
 * The outcome of {@link twoProportionTest}: the z statistic, its p-value, both rates and their
 * difference with its interval.
 */
export interface TwoProportionTestResult {
  /** `(treatmentRate − controlRate) / pooled standard error`. */
  z: number;
  /** Two-sided p-value of `z` against the standard normal. */
  pValue: number;
  /** `control.successes / control.trials`. */
  controlRate: number;
  /** `treatment.successes / treatment.trials`. */
  treatmentRate: number;
  /** `treatmentRate − controlRate`. */
  difference: number;
  /** Wald interval for the difference, with the unpooled standard error. */
  differenceInterval: Bounds;
  /** The confidence level of `differenceInterval` (the option, default 0.95). */
  confidence: number;
}

const countsSchema = lazySchema(() => z.object({ successes: z.number(), trials: z.number() }));

/**
 * The pooled two-proportion z-test of `H0: p_control = p_treatment`:
 *
 *   p̄ = (x_c + x_t) / (n_c + n_t),   z = (p̂_t − p̂_c) / √(p̄ (1 − p̄) (1/n_c + 1/n_t)),
 *
 * with a two-sided normal p-value. The difference's interval uses the unpooled standard error
 * `√(p̂_c(1 − p̂_c)/n_c + p̂_t(1 − p̂_t)/n_t)`, since it is not computed under `H0`. When both arms
 * are all failures or all successes there is no variation: `z = 0` and `pValue = 1`.
 *
 * @throws InvalidStatisticInputError for invalid counts or an arm with 0 trials.
 */
export function twoProportionTest(
  control: BinomialCounts,
  treatment: BinomialCounts,
  options: TwoProportionTestOptions = {},
): TwoProportionTestResult {
  const a = parseStatisticInput('control', countsSchema(), control);
  const b = parseStatisticInput('treatment', countsSchema(), treatment);
  assertBinomial('control', a.successes, a.trials);
  assertBinomial('treatment', b.successes, b.trials);
  const confidence = options.confidence ?? 0.95;
  assertOpenUnitInterval('confidence', confidence);
  if (a.trials === 0 || b.trials === 0) {
    throw new InvalidStatisticInputError(a.trials === 0 ? 'control.trials' : 'treatment.trials', 'each arm needs at least one trial');
  }
  const controlRate = a.successes / a.trials;
  const treatmentRate = b.successes / b.trials;
  const difference = treatmentRate - controlRate;
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const pooledError = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  const zScore = pooledError === 0 ? 0 : difference / pooledError;
  const unpooledError = Math.sqrt((controlRate * (1 - controlRate)) / a.trials + (treatmentRate * (1 - treatmentRate)) / b.trials);
  const halfWidth = normalQuantile((1 + confidence) / 2) * unpooledError;
  return {
    z: zScore,
    pValue: twoSidedNormalPValue(zScore),
    controlRate,
    treatmentRate,
    difference,
    differenceInterval: [difference - halfWidth, difference + halfWidth],
    confidence,
  };
}
