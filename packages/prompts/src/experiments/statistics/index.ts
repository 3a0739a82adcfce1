// Experiment statistics: summaries, intervals, tests, sample sizes and the sequential decision rule.
export { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
export { summarySchema, proportionSummary, type Summary } from './summary.js';
export { RunningSummary, summarize } from './running-summary.js';
export type { EstimateInterval, Bounds } from './interval.js';
export { wilsonInterval } from './wilson-interval.js';
export { meanInterval } from './mean-interval.js';
export { twoProportionTest, type BinomialCounts, type TwoProportionTestOptions, type TwoProportionTestResult } from './two-proportion-test.js';
export { welchTest, type WelchTestOptions, type WelchTestResult } from './welch-test.js';
export { sampleRatioMismatch, type SampleRatioMismatchOptions, type SampleRatioMismatchResult } from './sample-ratio-mismatch.js';
export { requiredSampleSize, type ProportionSampleSizeInput, type MeanSampleSizeInput } from './required-sample-size.js';
export type { MetricDirection, ExperimentDecision, ExperimentArm, ExperimentLook } from './experiment-decision.js';
export {
  sequentialDecision,
  initialSequentialState,
  DEFAULT_MIXTURE_VARIANCE_SCALE,
  type SequentialTestOptions,
  type SequentialState,
  type SequentialResult,
} from './sequential-decision.js';
export { createSequentialTest, type SequentialTest } from './sequential-test.js';
export { decideFixedSample, type FixedSampleOptions, type FixedSampleResult } from './decide-fixed-sample.js';
