import type { z } from 'zod';
import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';

// Plain checks rather than zod for scalars: they run once per look in simulations, so they
// must cost nanoseconds. Object inputs go through `parseStatisticInput` and a zod schema.

/** Throws unless `value` is a finite number. */
export function assertFinite(argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidStatisticInputError(argument, `must be a finite number, got ${describe(value)}`);
  }
}

/** Throws unless `value` is a non-negative safe integer (a count of units or events). */
export function assertCount(argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidStatisticInputError(argument, `must be a non-negative integer count, got ${describe(value)}`);
  }
}

/** Throws unless `value` lies strictly between 0 and 1 (a confidence level, alpha, power). */
export function assertOpenUnitInterval(argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw new InvalidStatisticInputError(argument, `must be a number strictly between 0 and 1, got ${describe(value)}`);
  }
}

/** Throws unless `successes` and `trials` are counts with `successes <= trials`. */
export function assertBinomial(argument: string, successes: unknown, trials: unknown): void {
  assertCount(`${argument}.successes`, successes);
  assertCount(`${argument}.trials`, trials);
  if (successes > trials) {
    throw new InvalidStatisticInputError(argument, `successes (${successes}) exceed trials (${trials})`);
  }
}

/** Parses an object input with `schema`; a failure becomes an `InvalidStatisticInputError` naming the field. */
export function parseStatisticInput<Schema extends z.ZodType>(argument: string, schema: Schema, value: unknown): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue === undefined || issue.path.length === 0 ? argument : `${argument}.${issue.path.map(String).join('.')}`;
  throw new InvalidStatisticInputError(path, issue?.message ?? 'is invalid');
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return value === null ? 'null' : typeof value;
}
