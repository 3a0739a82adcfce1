import { describe, expect, it } from 'vitest';
import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
import { wilsonInterval } from './wilson-interval.js';

describe('wilsonInterval', () => {
  it('gives the known 95% interval for 45/100', () => {
    const interval = wilsonInterval(45, 100);
    expect(interval.estimate).toBe(0.45);
    expect(interval.lower).toBeCloseTo(0.3561453797951198, 10);
    expect(interval.upper).toBeCloseTo(0.5475539700255787, 10);
    expect(interval.confidence).toBe(0.95);
  });

  it('stays inside [0, 1] with no or all successes', () => {
    expect(wilsonInterval(0, 10)).toMatchObject({ estimate: 0, lower: 0 });
    expect(wilsonInterval(0, 10).upper).toBeCloseTo(0.2775327998628892, 10);
    expect(wilsonInterval(10, 10)).toMatchObject({ estimate: 1, upper: 1 });
    expect(wilsonInterval(10, 10).lower).toBeCloseTo(0.7224672001371107, 10);
  });

  it('widens with confidence', () => {
    const narrow = wilsonInterval(45, 100, 0.8);
    const wide = wilsonInterval(45, 100, 0.99);
    expect(wide.lower).toBeLessThan(narrow.lower);
    expect(wide.upper).toBeGreaterThan(narrow.upper);
  });

  it('rejects zero trials, impossible counts and bad confidence levels', () => {
    expect(() => wilsonInterval(0, 0)).toThrow(/at least one trial/);
    expect(() => wilsonInterval(11, 10)).toThrow(InvalidStatisticInputError);
    expect(() => wilsonInterval(1.5, 10)).toThrow(InvalidStatisticInputError);
    expect(() => wilsonInterval(5, 10, 1)).toThrow(/confidence/);
    expect(() => wilsonInterval(5, 10, 0)).toThrow(InvalidStatisticInputError);
  });
});
