import { describe, expect, it } from 'vitest';
import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
import { meanInterval } from './mean-interval.js';
import { summarize } from './running-summary.js';

describe('meanInterval', () => {
  it("matches SciPy's t interval", () => {
    const summary = summarize([27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]);
    const interval = meanInterval(summary, 0.95);
    // scipy.stats.t.interval(0.95, 14, loc=mean, scale=sem)
    expect(interval.lower).toBeCloseTo(19.26670165245124, 8);
    expect(interval.upper).toBeCloseTo(22.373298347548754, 8);
    expect(interval.estimate).toBeCloseTo(20.82, 12);
  });

  it('is zero-width for zero variance', () => {
    expect(meanInterval({ count: 5, mean: 3, variance: 0 })).toEqual({ estimate: 3, lower: 3, upper: 3, confidence: 0.95 });
  });

  it('needs two observations and a valid summary', () => {
    expect(() => meanInterval({ count: 1, mean: 3, variance: 0 })).toThrow(/at least 2 observations/);
    expect(() => meanInterval({ count: 0, mean: 0, variance: 0 })).toThrow(InvalidStatisticInputError);
    expect(() => meanInterval({ count: 5, mean: Number.NaN, variance: 1 })).toThrow(/summary\.mean/);
    expect(() => meanInterval({ count: 5, mean: 1, variance: 1 }, 1.5)).toThrow(/confidence/);
  });
});
