import { z } from 'zod';
import { assertBinomial } from './statistic-input-validation.js';

/**
 * What the tests need to know about one variant's metric, without the raw values: the number of
 * observations, their mean and their sample variance (denominator `count - 1`; 0 when
 * `count < 2`). A binary metric is a summary of 0/1 values (see `proportionSummary`).
 */
export interface Summary {
  /** The number of observations: a non-negative integer. */
  count: number;
  /** The mean of the observations; for a binary metric, the success rate. */
  mean: number;
  /** The sample variance (denominator `count - 1`): non-negative, 0 when `count < 2`. */
  variance: number;
}

/** Validates a `Summary`: a non-negative integer count, a finite mean and a finite non-negative variance. */
export const summarySchema = z.object({
  /** The number of observations: a non-negative safe integer. */
  count: z.number().int('must be an integer').nonnegative('must not be negative').max(Number.MAX_SAFE_INTEGER),
  /** The mean of the observations: any finite number. */
  mean: z.number().finite('must be finite'),
  /** The sample variance (denominator `count - 1`): finite and non-negative. */
  variance: z.number().finite('must be finite').nonnegative('must not be negative'),
});

/**
 * The summary of `trials` 0/1 observations of which `successes` are 1: mean `successes / trials`,
 * variance the sample variance of those values, `s (n - s) / (n (n - 1))`.
 */
export function proportionSummary(successes: number, trials: number): Summary {
  assertBinomial('proportion', successes, trials);
  if (trials === 0) return { count: 0, mean: 0, variance: 0 };
  const variance = trials < 2 ? 0 : (successes * (trials - successes)) / (trials * (trials - 1));
  return { count: trials, mean: successes / trials, variance };
}
