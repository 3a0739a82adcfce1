import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
import { assertFinite, parseStatisticInput } from './statistic-input-validation.js';
import { summarySchema, type Summary } from './summary.js';

/**
 * A streaming `Summary`: `push` one value at a time (Welford's update, which stays accurate where
 * the textbook sum-of-squares formula cancels catastrophically), or `merge` a summary computed
 * elsewhere (Chan, Golub & LeVeque's pairwise combination), so reports never need raw arrays.
 *
 * @example
 * const latency = new RunningSummary();
 * for (const ms of [120, 95, 143]) latency.push(ms);
 * latency.toSummary(); // { count: 3, mean: 119.33…, variance: 576.33… }
 */
export class RunningSummary {
  #count = 0;
  #mean = 0;
  /** Sum of squared deviations from the running mean. */
  #m2 = 0;

  /** Starts from an existing summary (a stored aggregate, say). */
  static from(summary: Summary): RunningSummary {
    return new RunningSummary().merge(summary);
  }

  /** Adds one finite value. */
  push(value: number): this {
    assertFinite('value', value);
    this.#count += 1;
    const delta = value - this.#mean;
    this.#mean += delta / this.#count;
    this.#m2 += delta * (value - this.#mean);
    return this;
  }

  /** Adds every value of `values`. */
  pushAll(values: Iterable<number>): this {
    for (const value of values) this.push(value);
    return this;
  }

  /** Folds in the observations another summary describes, as if they had been pushed here. */
  merge(other: Summary): this {
    const { count, mean, variance } = parseStatisticInput('summary', summarySchema, other);
    if (count === 0) return this;
    if (count < 2 && variance !== 0) {
      throw new InvalidStatisticInputError('summary.variance', 'must be 0 for fewer than two observations');
    }
    const total = this.#count + count;
    const delta = mean - this.#mean;
    this.#m2 += variance * (count - 1) + (delta * delta * this.#count * count) / total;
    this.#mean += (delta * count) / total;
    this.#count = total;
    return this;
  }

  /** How many values have been added (merged summaries included). */
  get count(): number {
    return this.#count;
  }

  /** The mean of the values so far; 0 before any. */
  get mean(): number {
    return this.#mean;
  }

  /** The sample variance (denominator `count - 1`); 0 with fewer than two values. */
  get variance(): number {
    return this.#count < 2 ? 0 : Math.max(0, this.#m2 / (this.#count - 1));
  }

  /** The count, mean and variance so far, as a plain {@link Summary}. */
  toSummary(): Summary {
    return { count: this.count, mean: this.mean, variance: this.variance };
  }
}

/** The `Summary` of an array (or any iterable) of finite values. */
export function summarize(values: Iterable<number>): Summary {
  return new RunningSummary().pushAll(values).toSummary();
}
