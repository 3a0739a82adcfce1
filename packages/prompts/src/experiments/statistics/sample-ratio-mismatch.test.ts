import { describe, expect, it } from 'vitest';
import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
import { sampleRatioMismatch } from './sample-ratio-mismatch.js';

describe('sampleRatioMismatch', () => {
  it('sees no mismatch in a balanced split', () => {
    expect(sampleRatioMismatch([5_000, 5_000], [1, 1])).toMatchObject({ chiSquare: 0, degreesOfFreedom: 1, pValue: 1, mismatch: false });
    const threeWay = sampleRatioMismatch([5_050, 2_980, 1_970], [50, 30, 20]);
    // scipy.stats.chisquare([5050, 2980, 1970], [5000, 3000, 2000])
    expect(threeWay.chiSquare).toBeCloseTo(1.0833333333333333, 10);
    expect(threeWay.pValue).toBeCloseTo(0.5817778142098081, 9);
    expect(threeWay.degreesOfFreedom).toBe(2);
    expect(threeWay.expectedCounts).toEqual([5_000, 3_000, 2_000]);
    expect(threeWay.mismatch).toBe(false);
  });

  it('flags an unbalanced split', () => {
    const result = sampleRatioMismatch([5_200, 4_800], [0.5, 0.5]);
    expect(result.chiSquare).toBeCloseTo(16, 10);
    expect(result.pValue).toBeCloseTo(6.334248366623988e-5, 9);
    expect(result.mismatch).toBe(true);
    // The same split is not a mismatch at a stricter threshold.
    expect(sampleRatioMismatch([5_200, 4_800], [1, 1], { threshold: 1e-5 }).mismatch).toBe(false);
  });

  it('treats units in a variant of weight 0 as a certain mismatch, and no units as no evidence', () => {
    expect(sampleRatioMismatch([100, 100, 1], [1, 1, 0])).toMatchObject({ chiSquare: Infinity, pValue: 0, mismatch: true, degreesOfFreedom: 1 });
    expect(sampleRatioMismatch([100, 100, 0], [1, 1, 0])).toMatchObject({ chiSquare: 0, pValue: 1, mismatch: false });
    expect(sampleRatioMismatch([0, 0], [1, 3])).toMatchObject({ pValue: 1, mismatch: false, expectedCounts: [0, 0] });
  });

  it('rejects invalid counts and weights', () => {
    expect(() => sampleRatioMismatch([10], [1])).toThrow(/at least two variants/);
    expect(() => sampleRatioMismatch([10, 10], [1, 1, 1])).toThrow(/weights/);
    expect(() => sampleRatioMismatch([10, -1], [1, 1])).toThrow(/observedCounts\[1\]/);
    expect(() => sampleRatioMismatch([10, 2.5], [1, 1])).toThrow(InvalidStatisticInputError);
    expect(() => sampleRatioMismatch([10, 10], [1, -1])).toThrow(/weights\[1\]/);
    expect(() => sampleRatioMismatch([10, 10], [0, 0])).toThrow(/all be zero/);
    expect(() => sampleRatioMismatch([10, 10], [1, Number.NaN])).toThrow(InvalidStatisticInputError);
    expect(() => sampleRatioMismatch([10, 10], [1, 1], { threshold: 0 })).toThrow(/threshold/);
  });
});
