import { describe, expect, it } from 'vitest';
import { assignmentBucket } from './assignment-bucket.js';
import { InvalidExperimentError } from './invalid-experiment-error.js';

function correlation(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - meanX;
    const dy = ys[i]! - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('assignmentBucket', () => {
  it('matches the documented encoding (values computed independently with Python hashlib)', () => {
    // sha256(u32be(len) ‖ utf8(experiment) ‖ u32be(len) ‖ utf8(unit)), first 52 bits / 2^52.
    expect(assignmentBucket('checkout-prompt', 'user-1')).toBe(0.005264867929793748);
    expect(assignmentBucket('ab', 'c')).toBe(0.9475650527020565);
    expect(assignmentBucket('a', 'bc')).toBe(0.707836990867337);
    expect(assignmentBucket('実験', '🙂 {{x}} <|endoftext|>')).toBe(0.9559200920561264);
  });

  it('is deterministic and lies in [0, 1)', () => {
    for (let i = 0; i < 1_000; i++) {
      const bucket = assignmentBucket('exp', `user-${i}`);
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(1);
      expect(assignmentBucket('exp', `user-${i}`)).toBe(bucket);
    }
  });

  it('spreads units evenly over [0, 1): chi-square over 20 bins within a loose bound', () => {
    const bins = new Array<number>(20).fill(0);
    const units = 10_000;
    for (let i = 0; i < units; i++) bins[Math.floor(assignmentBucket('uniformity', `user-${i}`) * 20)]!++;
    const expected = units / 20;
    const chiSquare = bins.reduce((sum, observed) => sum + ((observed - expected) ** 2) / expected, 0);
    // 19 degrees of freedom: P(χ² > 43.8) = 0.001.
    expect(chiSquare).toBeLessThan(43.8);
  });

  it('gives a unit independent buckets in different experiments', () => {
    const first: number[] = [];
    const second: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      first.push(assignmentBucket('experiment-one', `user-${i}`));
      second.push(assignmentBucket('experiment-two', `user-${i}`));
    }
    // The standard error of r under independence is 1/√10,000 = 0.01.
    expect(Math.abs(correlation(first, second))).toBeLessThan(0.04);
  });

  it('rejects empty, non-string and ill-formed ids', () => {
    expect(() => assignmentBucket('', 'user')).toThrow(InvalidExperimentError);
    expect(() => assignmentBucket('exp', '')).toThrow(/unitId must be a non-empty string/);
    expect(() => assignmentBucket('exp', 42 as never)).toThrow(InvalidExperimentError);
    expect(() => assignmentBucket('exp', 'user-\uD800')).toThrow(/lone UTF-16 surrogate/);
    expect(assignmentBucket('exp', 'user-\uD83D\uDE00')).toBeLessThan(1); // a proper pair is fine
  });
});
