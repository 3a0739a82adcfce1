import { describe, expect, it } from 'vitest';
import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
import { summarize } from './running-summary.js';
import { welchTest } from './welch-test.js';

// The first example of Wikipedia's "Welch's t-test" article.
const a1 = summarize([27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]);
const a2 = summarize([27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4]);

describe('welchTest', () => {
  it('reproduces a worked example, with the degrees of freedom computed by hand', () => {
    const result = welchTest(a1, a2);
    // s1²/n1 = 7.867429/15 = 0.524495, s2²/n2 = 3.812667/15 = 0.254178;
    // df = (0.524495 + 0.254178)² / (0.524495²/14 + 0.254178²/14) = 0.606332 / 0.024265 = 24.99.
    expect(result.degreesOfFreedom).toBeCloseTo(24.988529290231416, 8);
    expect(result.t).toBeCloseTo(2.455356398286006, 10);
    expect(result.pValue).toBeCloseTo(0.021378001462866992, 7);
    expect(result.difference).toBeCloseTo(2.1666666666666667, 10);
    // scipy.stats.ttest_ind(a2, a1, equal_var=False).confidence_interval(0.95)
    expect(result.differenceInterval[0]).toBeCloseTo(0.3492370661924069, 6);
    expect(result.differenceInterval[1]).toBeCloseTo(3.984096267140929, 6);
  });

  it('handles zero variance in one or both arms', () => {
    const oneFlat = welchTest({ count: 10, mean: 5, variance: 0 }, { count: 10, mean: 6, variance: 4 });
    expect(oneFlat.degreesOfFreedom).toBeCloseTo(9, 10);
    expect(oneFlat.standardError).toBeCloseTo(Math.sqrt(0.4), 12);
    expect(welchTest({ count: 10, mean: 5, variance: 0 }, { count: 12, mean: 5, variance: 0 })).toMatchObject({
      t: 0,
      pValue: 1,
      degreesOfFreedom: 20,
      differenceInterval: [0, 0],
    });
    expect(welchTest({ count: 10, mean: 5, variance: 0 }, { count: 12, mean: 4, variance: 0 })).toMatchObject({ t: -Infinity, pValue: 0 });
  });

  it('rejects arms with fewer than two observations and invalid summaries', () => {
    expect(() => welchTest({ count: 1, mean: 5, variance: 0 }, a2)).toThrow(/control\.count/);
    expect(() => welchTest(a1, { count: 0, mean: 0, variance: 0 })).toThrow(InvalidStatisticInputError);
    expect(() => welchTest(a1, { count: 5, mean: 0, variance: -2 })).toThrow(/treatment\.variance/);
    expect(() => welchTest(a1, a2, { confidence: 2 })).toThrow(/confidence/);
  });
});
