/** A point estimate with a two-sided confidence interval around it. */
export interface EstimateInterval {
  /** The point estimate: the observed rate (Wilson) or mean (t). */
  estimate: number;
  /** The interval's lower bound. */
  lower: number;
  /** The interval's upper bound. */
  upper: number;
  /** The confidence level the interval was built for, e.g. 0.95. */
  confidence: number;
}

/** `[lower, upper]` bounds of an interval for a difference (treatment minus control). */
export type Bounds = readonly [lower: number, upper: number];
