import { describe, expect, it } from 'vitest';
import { assignVariant } from './assign-variant.js';
import { assignmentBucket } from './assignment-bucket.js';
import { InvalidExperimentError } from './invalid-experiment-error.js';

const split = [
  { id: 'control', weight: 50 },
  { id: 'concise', weight: 30 },
  { id: 'verbose', weight: 20 },
];

describe('assignVariant', () => {
  it('maps the bucket through the cumulative weights, in the given order', () => {
    for (let i = 0; i < 500; i++) {
      const bucket = assignmentBucket('exp', `user-${i}`);
      const expected = bucket < 0.5 ? 'control' : bucket < 0.8 ? 'concise' : 'verbose';
      expect(assignVariant('exp', `user-${i}`, split)).toBe(expected);
    }
  });

  it('is sticky: the same unit gets the same variant every time', () => {
    const first = Array.from({ length: 200 }, (_, i) => assignVariant('exp', `user-${i}`, split));
    const again = Array.from({ length: 200 }, (_, i) => assignVariant('exp', `user-${i}`, split));
    expect(again).toEqual(first);
  });

  it('splits 10,000 units close to the weights (chi-square within a loose bound)', () => {
    const counts = new Map<string, number>();
    const units = 10_000;
    for (let i = 0; i < units; i++) {
      const variant = assignVariant('balance', `user-${i}`, split);
      counts.set(variant, (counts.get(variant) ?? 0) + 1);
    }
    const chiSquare = split.reduce((sum, { id, weight }) => {
      const expected = (units * weight) / 100;
      return sum + ((counts.get(id) ?? 0) - expected) ** 2 / expected;
    }, 0);
    // 2 degrees of freedom: P(χ² > 13.8) = 0.001.
    expect(chiSquare).toBeLessThan(13.8);
  });

  it('never assigns a variant of weight 0', () => {
    const variants = [
      { id: 'a', weight: 1 },
      { id: 'retired', weight: 0 },
      { id: 'b', weight: 1 },
      { id: 'also-retired', weight: 0 },
    ];
    const seen = new Set(Array.from({ length: 2_000 }, (_, i) => assignVariant('exp', `u${i}`, variants)));
    expect([...seen].sort()).toEqual(['a', 'b']);
  });

  it('moves only the units at the slice edge when one weight grows', () => {
    const before = [{ id: 'a', weight: 50 }, { id: 'b', weight: 50 }];
    const after = [{ id: 'a', weight: 60 }, { id: 'b', weight: 40 }];
    for (let i = 0; i < 1_000; i++) {
      const was = assignVariant('ramp', `user-${i}`, before);
      const now = assignVariant('ramp', `user-${i}`, after);
      if (was === 'a') expect(now).toBe('a');
    }
  });

  it('rejects invalid variants and ids with a typed error', () => {
    expect(() => assignVariant('exp', 'user', [{ id: 'a', weight: 1 }])).toThrow(InvalidExperimentError);
    expect(() => assignVariant('exp', '', split)).toThrow(InvalidExperimentError);
  });
});
