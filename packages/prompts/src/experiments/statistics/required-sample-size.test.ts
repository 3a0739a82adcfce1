import { describe, expect, it } from 'vitest';
import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
import { requiredSampleSize } from './required-sample-size.js';

describe('requiredSampleSize', () => {
  it('matches the textbook figure for a rate: 10% baseline, +2 points → 3,841 per arm', () => {
    // R: power.prop.test(p1 = 0.10, p2 = 0.12, power = 0.8) gives n = 3840.8.
    expect(requiredSampleSize({ baselineRate: 0.1, minimumDetectableEffect: 0.02 })).toBe(3_841);
  });

  it('grows with power and a stricter alpha, and shrinks with a bigger effect', () => {
    const base = requiredSampleSize({ baselineRate: 0.1, minimumDetectableEffect: 0.02 });
    expect(requiredSampleSize({ baselineRate: 0.1, minimumDetectableEffect: 0.02, power: 0.9 })).toBeGreaterThan(base);
    expect(requiredSampleSize({ baselineRate: 0.1, minimumDetectableEffect: 0.02, alpha: 0.01 })).toBeGreaterThan(base);
    expect(requiredSampleSize({ baselineRate: 0.1, minimumDetectableEffect: 0.04 })).toBeLessThan(base / 3);
    // A downward change from 12% is the same comparison as an upward one from 10%.
    expect(requiredSampleSize({ baselineRate: 0.12, minimumDetectableEffect: -0.02 })).toBe(base);
  });

  it('matches the two-sample z formula for a mean: σ = 1, δ = 0.5 → 63 per arm', () => {
    // 2 · (1.959964 + 0.841621)² · 1² / 0.5² = 62.79
    expect(requiredSampleSize({ standardDeviation: 1, minimumDetectableEffect: 0.5 })).toBe(63);
    expect(requiredSampleSize({ standardDeviation: 2, minimumDetectableEffect: 1 })).toBe(63);
  });

  it('rejects inputs that are neither form or out of range', () => {
    expect(() => requiredSampleSize({ minimumDetectableEffect: 0.1 } as never)).toThrow(/exactly one of/);
    expect(() => requiredSampleSize({ baselineRate: 0.1, standardDeviation: 1, minimumDetectableEffect: 0.1 } as never)).toThrow(
      InvalidStatisticInputError,
    );
    expect(() => requiredSampleSize({ baselineRate: 0.95, minimumDetectableEffect: 0.1 })).toThrow(/stay between 0 and 1/);
    expect(() => requiredSampleSize({ baselineRate: 0.1, minimumDetectableEffect: 0 })).toThrow(/minimumDetectableEffect/);
    expect(() => requiredSampleSize({ baselineRate: 1.2, minimumDetectableEffect: 0.1 })).toThrow(/baselineRate/);
    expect(() => requiredSampleSize({ standardDeviation: -1, minimumDetectableEffect: 0.5 })).toThrow(/standardDeviation/);
    expect(() => requiredSampleSize({ standardDeviation: 1, minimumDetectableEffect: 0.5, power: 1 })).toThrow(/power/);
    expect(() => requiredSampleSize(null as never)).toThrow(InvalidStatisticInputError);
  });
});
