import type { EstimateInterval } from './interval.js';
import { normalQuantile } from './distributions.js';
import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
import { assertBinomial, assertOpenUnitInterval } from './statistic-input-validation.js';

/**
 * The Wilson score interval for a binomial proportion (Wilson 1927): the set of rates `p` whose
 * score test does not reject `successes / trials`,
 *
 *   center = (p̂ + z²/2n) / (1 + z²/n),   half-width = z / (1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²),
 *
 * with `z` the `(1 + confidence) / 2` normal quantile. Unlike the Wald interval it stays inside
 * [0, 1] and keeps near-nominal coverage at small `n` and at 0 or `n` successes.
 *
 * @throws InvalidStatisticInputError for non-integer or negative counts, `successes > trials`,
 *   0 trials (there is no rate to estimate) or a confidence outside (0, 1).
 * @example wilsonInterval(45, 100) // { estimate: 0.45, lower: 0.356…, upper: 0.547…, confidence: 0.95 }
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): EstimateInterval {
  assertBinomial('wilsonInterval', successes, trials);
  assertOpenUnitInterval('confidence', confidence);
  if (trials === 0) throw new InvalidStatisticInputError('trials', 'a proportion needs at least one trial');
  const z = normalQuantile((1 + confidence) / 2);
  const rate = successes / trials;
  const zSquaredOverN = (z * z) / trials;
  const denominator = 1 + zSquaredOverN;
  const center = (rate + zSquaredOverN / 2) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((rate * (1 - rate)) / trials + zSquaredOverN / (4 * trials));
  // Clamping only removes rounding error: mathematically the bounds are in [0, 1] already.
  return {
    estimate: rate,
    lower: successes === 0 ? 0 : Math.max(0, center - halfWidth),
    upper: successes === trials ? 1 : Math.min(1, center + halfWidth),
    confidence,
  };
}
