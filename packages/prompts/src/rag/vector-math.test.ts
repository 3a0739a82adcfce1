import { describe, expect, it } from 'vitest';
import { dotProduct, normalizeVector } from './vector-math.js';

describe('normalizeVector and dotProduct', () => {
  it('gives unit vectors whose dot product is the cosine similarity', () => {
    const a = normalizeVector([3, 4]);
    expect([...a]).toEqual([0.6, 0.8]);
    expect(dotProduct(a, normalizeVector([4, -3]))).toBeCloseTo(0, 12);
    expect(dotProduct(a, normalizeVector([6, 8]))).toBeCloseTo(1, 12);
    expect(dotProduct(normalizeVector([1, 0]), normalizeVector([1, 1]))).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('keeps a zero vector at zero, so it scores 0 and not NaN', () => {
    const zero = normalizeVector([0, 0, 0]);
    expect([...zero]).toEqual([0, 0, 0]);
    expect(dotProduct(zero, normalizeVector([1, 2, 3]))).toBe(0);
  });

  it('neither overflows nor underflows on extreme components', () => {
    expect([...normalizeVector([3e200, 4e200])]).toEqual([0.6, 0.8]);
    const tiny = normalizeVector([3e-200, 4e-200]);
    expect(tiny[0]).toBeCloseTo(0.6, 12);
    expect(tiny[1]).toBeCloseTo(0.8, 12);
  });
});
