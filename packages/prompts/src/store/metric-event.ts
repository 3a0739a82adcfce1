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
    /** The experiment the observation belongs to; it must exist. */
    experimentId: storeNameSchema,
    /** Must be one of the experiment's variants. */
    variant: storeNameSchema,
    /** The unit (user, session, request) observed. */
    unitId: storeNameSchema,
    /** The metric's name: one of `STANDARD_METRICS` (whose values are checked) or a custom one. */
    metric: storeNameSchema,
    /** A finite number (`NaN` and infinities are refused). */
    value: z.number(),
    /** Defaults to now. */
    recordedAt: isoTimestampSchema.optional(),
    /** Free-form JSON context for the event (stored as JSON: `undefined` members dropped). Default `null`. */
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
  /** The experiment the observation belongs to. */
  experimentId: string;
  /** The variant the unit was served. */
  variant: string;
  /** The unit (user, session, request) observed. */
  unitId: string;
  /** The metric's name (see `STANDARD_METRICS`). */
  metric: string;
  /** The observed value: finite; for standard metrics, within that metric's range. */
  value: number;
  /** When the observation was made (the input's, or when it was stored); ISO 8601, UTC. */
  recordedAt: string;
  /** The event's JSON context, or null when none was given. */
  metadata: Record<string, unknown> | null;
}

/** Paging for `listEvents`: events with an id above `afterId`, ascending, at most `limit` (default 1,000, at most 10,000). */
export const listEventsOptionsSchema = z.strictObject({
  /** Only events whose `id` is above this (the last id of the previous page). Default: from the start. */
  afterId: z.number().int().min(0).optional(),
  /** The most events to return, 1-10,000. Default 1,000. */
  limit: z.number().int().min(1).max(10_000).optional(),
});
/** Paging for `listEvents` (see `listEventsOptionsSchema`). */
export type ListEventsOptions = z.input<typeof listEventsOptionsSchema>;

/** Aggregates of one metric in one variant, computed by the store (in SQL for the database backends). */
export interface MetricSummary {
  /** The variant summarised. */
  variant: string;
  /** The metric summarised. */
  metric: string;
  /** How many events were recorded. */
  count: number;
  /** The sum of their values. */
  sum: number;
  /** The sum of their squared values (for the variance). */
  sumOfSquares: number;
  /** The smallest value recorded. */
  min: number;
  /** The largest value recorded. */
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
