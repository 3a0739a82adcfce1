/** A point estimate with a two-sided confidence interval around it. */
export interface EstimateInterval {
  estimate: number;
  lower: number;
  upper: number;
  /** The confidence level the interval was built for, e.g. 0.95. */
  confidence: number;
}

/** `[lower, upper]` bounds of an interval for a difference (treatment minus control). */
export type Bounds = readonly [lower: number, upper: number];
