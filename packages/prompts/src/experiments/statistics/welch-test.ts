import type { Bounds } from './interval.js';
import { studentTQuantile, twoSidedStudentTPValue } from './distributions.js';
import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
import { assertOpenUnitInterval, parseStatisticInput } from './statistic-input-validation.js';
import { summarySchema, type Summary } from './summary.js';

/** Options of {@link welchTest}. */
export interface WelchTestOptions {
  /** Confidence level of `differenceInterval`; default 0.95. */
  confidence?: number;
}

/**
 * The outcome of {@link welchTest}: the t statistic, its degrees of freedom and p-value, and the
 * difference of means with its interval.
 */
export interface WelchTestResult {
  /** `(mean_t − mean_c) / standardError`. */
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  degreesOfFreedom: number;
  /** Two-sided p-value of `t` against Student's t with `degreesOfFreedom`. */
  pValue: number;
  /** `treatment.mean − control.mean`. */
  difference: number;
  /** `√(s_c²/n_c + s_t²/n_t)`. */
  standardError: number;
  /** The interval `difference ± t_df · standardError` for `treatment.mean − control.mean`. */
  differenceInterval: Bounds;
  /** The confidence level of `differenceInterval` (the option, default 0.95). */
  confidence: number;
}

/**
 * Welch's unequal-variances t-test of `H0: mean_control = mean_treatment`:
 *
 *   t = (m_t − m_c) / √(s_c²/n_c + s_t²/n_t),
 *   df = (s_c²/n_c + s_t²/n_t)² / ((s_c²/n_c)²/(n_c − 1) + (s_t²/n_t)²/(n_t − 1))   (Welch–Satterthwaite),
 *
 * two-sided p-value and `difference ± t_df · standardError` interval. It does not assume equal
 * variances, which variants of a prompt rarely have. With both variances 0 the standard error is
 * 0: equal means give `t = 0, pValue = 1`; different means give `t = ±Infinity, pValue = 0`, and
 * `degreesOfFreedom` falls back to `n_c + n_t − 2`.
 *
 * @throws InvalidStatisticInputError for an invalid summary or an arm with fewer than 2 observations.
 */
export function welchTest(control: Summary, treatment: Summary, options: WelchTestOptions = {}): WelchTestResult {
  const a = parseStatisticInput('control', summarySchema, control);
  const b = parseStatisticInput('treatment', summarySchema, treatment);
  const confidence = options.confidence ?? 0.95;
  assertOpenUnitInterval('confidence', confidence);
  for (const [argument, arm] of [['control.count', a], ['treatment.count', b]] as const) {
    if (arm.count < 2) throw new InvalidStatisticInputError(argument, `Welch's test needs at least 2 observations per arm, got ${arm.count}`);
  }
  const difference = b.mean - a.mean;
  const controlTerm = a.variance / a.count;
  const treatmentTerm = b.variance / b.count;
  const varianceOfDifference = controlTerm + treatmentTerm;
  const standardError = Math.sqrt(varianceOfDifference);
  if (standardError === 0) {
    const t = difference === 0 ? 0 : Math.sign(difference) * Infinity;
    return {
      t,
      degreesOfFreedom: a.count + b.count - 2,
      pValue: difference === 0 ? 1 : 0,
      difference,
      standardError,
      differenceInterval: [difference, difference],
      confidence,
    };
  }
  const degreesOfFreedom =
    (varianceOfDifference * varianceOfDifference) /
    ((controlTerm * controlTerm) / (a.count - 1) + (treatmentTerm * treatmentTerm) / (b.count - 1));
  const t = difference / standardError;
  const halfWidth = studentTQuantile((1 + confidence) / 2, degreesOfFreedom) * standardError;
  return {
    t,
    degreesOfFreedom,
    pValue: twoSidedStudentTPValue(t, degreesOfFreedom),
    difference,
    standardError,
    differenceInterval: [difference - halfWidth, difference + halfWidth],
    confidence,
  };
}
