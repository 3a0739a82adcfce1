import { describe, expect, it } from 'vitest';
import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
import { summarize } from './running-summary.js';
import { proportionSummary } from './summary.js';

describe('proportionSummary', () => {
  it('equals the summary of the 0/1 values it stands for', () => {
    for (const [successes, trials] of [[0, 5], [3, 10], [7, 7], [1, 1], [45, 100]] as const) {
      const values = Array.from({ length: trials }, (_, i) => (i < successes ? 1 : 0));
      const expected = summarize(values);
      const actual = proportionSummary(successes, trials);
      expect(actual.count).toBe(expected.count);
      expect(actual.mean).toBeCloseTo(expected.mean, 12);
      expect(actual.variance).toBeCloseTo(expected.variance, 12);
    }
  });

  it('describes zero trials as an empty summary', () => {
    expect(proportionSummary(0, 0)).toEqual({ count: 0, mean: 0, variance: 0 });
  });

  it('rejects impossible counts', () => {
    expect(() => proportionSummary(6, 5)).toThrow(InvalidStatisticInputError);
    expect(() => proportionSummary(-1, 5)).toThrow(/non-negative integer/);
    expect(() => proportionSummary(1.5, 5)).toThrow(InvalidStatisticInputError);
    expect(() => proportionSummary(1, Number.NaN)).toThrow(InvalidStatisticInputError);
  });
});
