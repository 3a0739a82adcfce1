import { chiSquareSurvival } from './distributions.js';
import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
import { assertCount, assertOpenUnitInterval } from './statistic-input-validation.js';

/** Options of {@link sampleRatioMismatch}. */
export interface SampleRatioMismatchOptions {
  /**
   * The p-value below which the split is called a mismatch; default 0.001, the usual SRM
   * threshold: the check runs on every experiment, often many times, so it must rarely fire by chance.
   */
  threshold?: number;
}

/**
 * The outcome of {@link sampleRatioMismatch}: Pearson's chi-square test of the observed split
 * against the weights.
 */
export interface SampleRatioMismatchResult {
  /** Pearson's statistic `Σ (observed − expected)² / expected`. */
  chiSquare: number;
  /** Variants with a positive weight, minus one. */
  degreesOfFreedom: number;
  /** The chi-square p-value: 1 when no units were assigned, 0 when a weight-0 variant received units. */
  pValue: number;
  /** `pValue < threshold`. */
  mismatch: boolean;
  /** What each variant should have received: `total · weight / Σ weights`. */
  expectedCounts: number[];
  /** The threshold `pValue` was compared with (the option, default 0.001). */
  threshold: number;
}

/**
 * The sample-ratio-mismatch check: Pearson's chi-square goodness-of-fit test of the units each
 * variant received against the split its weights promise. A mismatch means assignment or
 * logging is broken (units dropped, double-counted, redirected), and the experiment's other
 * statistics cannot be trusted until it is explained.
 *
 * Weights are relative (they need not sum to 1). A variant of weight 0 that received units is an
 * outright mismatch (`chiSquare = Infinity`, `pValue = 0`); with no units at all there is no
 * evidence either way (`pValue = 1`).
 *
 * @throws InvalidStatisticInputError for counts that are not non-negative integers, negative or
 *   non-finite weights, all-zero weights, fewer than two variants or arrays of different lengths.
 * @example sampleRatioMismatch([5_200, 4_800], [1, 1]) // chiSquare 16, pValue ≈ 6e-5, mismatch: true
 */
export function sampleRatioMismatch(
  observedCounts: readonly number[],
  weights: readonly number[],
  options: SampleRatioMismatchOptions = {},
): SampleRatioMismatchResult {
  if (!Array.isArray(observedCounts) || !Array.isArray(weights)) {
    throw new InvalidStatisticInputError('sampleRatioMismatch', 'observed counts and weights must be arrays');
  }
  if (observedCounts.length < 2) throw new InvalidStatisticInputError('observedCounts', 'needs at least two variants');
  if (observedCounts.length !== weights.length) {
    throw new InvalidStatisticInputError('weights', `has ${weights.length} entries for ${observedCounts.length} observed counts`);
  }
  const threshold = options.threshold ?? 0.001;
  assertOpenUnitInterval('threshold', threshold);
  let total = 0;
  let weightSum = 0;
  observedCounts.forEach((count, i) => {
    assertCount(`observedCounts[${i}]`, count);
    total += count;
  });
  weights.forEach((weight, i) => {
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw new InvalidStatisticInputError(`weights[${i}]`, `must be a finite non-negative number, got ${String(weight)}`);
    }
    weightSum += weight;
  });
  if (weightSum === 0) throw new InvalidStatisticInputError('weights', 'must not all be zero');

  const expectedCounts = weights.map((weight) => (total * weight) / weightSum);
  let chiSquare = 0;
  let positive = 0;
  for (let i = 0; i < observedCounts.length; i++) {
    const observed = observedCounts[i]!;
    const expected = expectedCounts[i]!;
    if (weights[i]! > 0) positive++;
    if (expected > 0) chiSquare += ((observed - expected) * (observed - expected)) / expected;
    else if (observed > 0) chiSquare = Infinity;
  }
  const degreesOfFreedom = positive - 1;
  // With one positive weight the statistic is 0 or Infinity: only units sent where none should go count.
  const pValue = chiSquare === Infinity ? 0 : chiSquare === 0 ? 1 : chiSquareSurvival(chiSquare, degreesOfFreedom);
  return { chiSquare, degreesOfFreedom, pValue, mismatch: pValue < threshold, expectedCounts, threshold };
}
