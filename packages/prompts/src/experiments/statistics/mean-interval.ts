import type { EstimateInterval } from './interval.js';
import { studentTQuantile } from './distributions.js';
import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
import { assertOpenUnitInterval, parseStatisticInput } from './statistic-input-validation.js';
import { summarySchema, type Summary } from './summary.js';

/**
 * The t interval for a mean: `mean ± t(count − 1) · √(variance / count)`, with `t` the
 * `(1 + confidence) / 2` quantile of Student's t. Exact for normal data, and the usual
 * approximation otherwise. A variance of 0 gives the zero-width interval `[mean, mean]`.
 *
 * @throws InvalidStatisticInputError for an invalid summary, fewer than two observations (no
 *   variance estimate, no degrees of freedom) or a confidence outside (0, 1).
 */
export function meanInterval(summary: Summary, confidence = 0.95): EstimateInterval {
  const { count, mean, variance } = parseStatisticInput('summary', summarySchema, summary);
  assertOpenUnitInterval('confidence', confidence);
  if (count < 2) throw new InvalidStatisticInputError('summary.count', `a t interval needs at least 2 observations, got ${count}`);
  const halfWidth = studentTQuantile((1 + confidence) / 2, count - 1) * Math.sqrt(variance / count);
  return { estimate: mean, lower: mean - halfWidth, upper: mean + halfWidth, confidence };
}
