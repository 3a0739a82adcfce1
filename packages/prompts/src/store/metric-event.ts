import { z } from 'zod';
import { compareText } from './compare-text.js';
import { isoTimestampSchema, jsonObjectSchema, storeNameSchema } from './store-field-schemas.js';
import { lazySchema } from '../lazy-schema.js';

/**
 * Metric names with a fixed meaning, and the values each accepts: `success` is 0 or 1, `rating`
 * any finite number, `latency` milliseconds >= 0, `input_tokens` and `output_tokens` integers
 * >= 0, `cost` >= 0 (in the caller's currency, USD by convention). Any other name is a custom
 * metric that takes any finite number.
 */
export const STANDARD_METRICS = ['success', 'rating', 'latency', 'input_tokens', 'output_tokens', 'cost'] as const;
/** One of the metric names with a fixed meaning (see `STANDARD_METRICS`). */
export type StandardMetric = (typeof STANDARD_METRICS)[number];

/** One observation to record. */
export const metricEventInputSchema = z
  .strictObject({
    experimentId: storeNameSchema,
    /** Must be one of the experiment's variants. */
    variant: storeNameSchema,
    unitId: storeNameSchema,
    metric: storeNameSchema,
    /** A finite number (`NaN` and infinities are refused). */
    value: z.number(),
    /** Defaults to now. */
    recordedAt: isoTimestampSchema.optional(),
    metadata: jsonObjectSchema.nullable().optional(),
  })
  .superRefine((event, context) => {
    const problem = standardMetricProblem(event.metric, event.value);
    if (problem !== undefined) context.addIssue({ code: 'custom', path: ['value'], message: problem });
  });
/** One observation to record (see `metricEventInputSchema`). */
export type MetricEventInput = z.input<typeof metricEventInputSchema>;

/** A batch for `recordEvents`. */
export const metricEventBatchSchema = lazySchema(() => z.array(metricEventInputSchema).max(10_000, 'at most 10,000 events per call'));

/** A recorded observation. Events are appended and never changed. */
export interface MetricEvent {
  /** Assigned by the store; increases with every event recorded for the same experiment. */
  id: number;
  experimentId: string;
  variant: string;
  unitId: string;
  metric: string;
  value: number;
  recordedAt: string;
  metadata: Record<string, unknown> | null;
}

/** Paging for `listEvents`: events with an id above `afterId`, ascending, at most `limit` (default 1,000, at most 10,000). */
export const listEventsOptionsSchema = z.strictObject({
  afterId: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
});
/** Paging for `listEvents` (see `listEventsOptionsSchema`). */
export type ListEventsOptions = z.input<typeof listEventsOptionsSchema>;

/** Aggregates of one metric in one variant, computed by the store (in SQL for the database backends). */
export interface MetricSummary {
  variant: string;
  metric: string;
  count: number;
  sum: number;
  sumOfSquares: number;
  min: number;
  max: number;
  /** Distinct unit ids among the events. */
  distinctUnits: number;
}

function standardMetricProblem(metric: string, value: number): string | undefined {
  switch (metric) {
    case 'success':
      return value === 0 || value === 1 ? undefined : `success must be 0 or 1, got ${value}`;
    case 'latency':
    case 'cost':
      return value >= 0 ? undefined : `${metric} must be >= 0, got ${value}`;
    case 'input_tokens':
    case 'output_tokens':
      return Number.isSafeInteger(value) && value >= 0 ? undefined : `${metric} must be a non-negative integer, got ${value}`;
    default:
      return undefined;
  }
}

/** Orders summaries by variant, then metric (code-unit order, the same in every backend). */
export function compareMetricSummaries(a: MetricSummary, b: MetricSummary): number {
  return compareText(a.variant, b.variant) || compareText(a.metric, b.metric);
}
