import { describe, expect, it } from 'vitest';
import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
import { RunningSummary, summarize } from './running-summary.js';

function twoPass(values: readonly number[]): { mean: number; variance: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
}

describe('RunningSummary', () => {
  it('matches the two-pass mean and sample variance', () => {
    const values = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const summary = summarize(values);
    const reference = twoPass(values);
    expect(summary.count).toBe(15);
    expect(summary.mean).toBeCloseTo(20.82, 12);
    expect(summary.variance).toBeCloseTo(reference.variance, 12);
    expect(summary.variance).toBeCloseTo(7.867428571428571, 10);
  });

  it('stays accurate with a large offset, where the sum-of-squares formula cancels', () => {
    const values = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    const summary = summarize(values);
    expect(summary.mean).toBe(1e9 + 10);
    expect(summary.variance).toBeCloseTo(30, 9);
  });

  it('merges summaries as if their values had been pushed one by one', () => {
    const left = [3, 1, 4, 1, 5, 9, 2, 6];
    const right = [5, 3, 5, 8, 9, 7];
    const merged = RunningSummary.from(summarize(left)).merge(summarize(right)).toSummary();
    const all = summarize([...left, ...right]);
    expect(merged.count).toBe(all.count);
    expect(merged.mean).toBeCloseTo(all.mean, 12);
    expect(merged.variance).toBeCloseTo(all.variance, 12);
    expect(new RunningSummary().merge({ count: 0, mean: 0, variance: 0 }).count).toBe(0);
    expect(new RunningSummary().merge({ count: 1, mean: 4, variance: 0 }).push(6).toSummary()).toEqual({ count: 2, mean: 5, variance: 2 });
  });

  it('reports 0 variance below two values and for constant data', () => {
    expect(summarize([])).toEqual({ count: 0, mean: 0, variance: 0 });
    expect(summarize([42])).toEqual({ count: 1, mean: 42, variance: 0 });
    expect(summarize([0.1, 0.1, 0.1]).variance).toBe(0);
  });

  it('rejects non-finite values and invalid summaries', () => {
    expect(() => new RunningSummary().push(Number.NaN)).toThrow(InvalidStatisticInputError);
    expect(() => summarize([1, Infinity])).toThrow(/finite/);
    expect(() => new RunningSummary().merge({ count: 2.5, mean: 0, variance: 1 })).toThrow(/summary\.count/);
    expect(() => new RunningSummary().merge({ count: 3, mean: 0, variance: -1 })).toThrow(/summary\.variance/);
    expect(() => new RunningSummary().merge({ count: 1, mean: 0, variance: 2 })).toThrow(InvalidStatisticInputError);
  });
});
