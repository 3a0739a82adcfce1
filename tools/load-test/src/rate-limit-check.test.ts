import { describe, expect, it } from 'vitest';
import { checkRateLimit } from './rate-limit-check.js';

/** `count` calls spaced evenly from `from`, `gapMs` apart. */
const evenly = (from: number, count: number, gapMs: number) => Array.from({ length: count }, (_, i) => from + i * gapMs);

describe('checkRateLimit', () => {
  it('accepts what a bucket of 60 per minute admits: a burst of 60, then one a second', () => {
    const times = [...evenly(0, 60, 0), ...evenly(1_000, 240, 1_000)];
    const check = checkRateLimit(times, 60, 60_000, 10);
    expect(check.bucketHeld).toBe(true);
    expect(check.bucketExcess).toBeLessThanOrEqual(1);
    // The burst plus a minute of refill: a token bucket's first window holds up to twice the limit.
    expect(check.maxInWindow).toBe(119);
    expect(check.maxInSteadyWindow).toBe(60);
    expect(check.minInSteadyWindow).toBe(60);
  });

  it('catches processes that together took more than the bucket had', () => {
    const times = [...evenly(0, 60, 0), ...evenly(1_000, 60, 500)];
    const check = checkRateLimit(times, 60, 60_000, 10);
    expect(check.bucketHeld).toBe(false);
    expect(check.bucketExcess).toBeGreaterThan(20);
  });

  it('catches a double burst, even inside one window', () => {
    const check = checkRateLimit(evenly(0, 120, 1), 60, 60_000, 10);
    expect(check.bucketHeld).toBe(false);
    expect(check.maxInWindow).toBe(120);
  });

  it('reports the steady windows only for runs of three windows or more', () => {
    expect(checkRateLimit(evenly(0, 100, 100), 60, 60_000, 10).minInSteadyWindow).toBeUndefined();
    expect(checkRateLimit([], 60, 60_000, 10)).toMatchObject({ admitted: 0, bucketHeld: true, maxInWindow: 0 });
  });
});
