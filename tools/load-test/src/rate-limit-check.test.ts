import { describe, expect, it } from 'vitest';
import { checkRateLimit } from './rate-limit-check.js';

/** `count` calls spaced evenly from `from`, `gapMs` apart. */
const evenly = (from: number, count: number, gapMs: number) => Array.from({ length: count }, (_, i) => from + i * gapMs);

describe('checkRateLimit', () => {
  it('accepts what a sliding window of 60 per minute admits: 60 at once, then each again a minute later', () => {
    const times = [0, 60_000, 120_000, 180_000, 240_000].flatMap((t) => evenly(t, 60, 0));
    const check = checkRateLimit(times, 60, 60_000);
    expect(check).toMatchObject({ admitted: 300, maxInWindow: 60, held: true, minInSteadyWindow: 60, maxInSteadyWindow: 60 });
  });

  it('catches the burst a token bucket allows after an idle spell, in the first window', () => {
    const check = checkRateLimit([...evenly(0, 60, 0), ...evenly(1_000, 240, 1_000)], 60, 60_000);
    expect(check.held).toBe(false);
    expect(check.maxInWindow).toBe(119);
    expect(check.maxInSteadyWindow).toBe(60);
  });

  it('counts half-open windows: a call exactly a window after another is not in its window', () => {
    expect(checkRateLimit([0, 60_000], 1, 60_000).held).toBe(true);
    expect(checkRateLimit([0, 59_999.9], 1, 60_000).held).toBe(false);
  });

  it('catches processes that together admitted more than the limit, even inside one window', () => {
    const check = checkRateLimit(evenly(0, 61, 1), 60, 60_000);
    expect(check.held).toBe(false);
    expect(check.maxInWindow).toBe(61);
  });

  it('reports the steady windows only for runs of four windows or more', () => {
    expect(checkRateLimit(evenly(0, 100, 2_000), 60, 60_000).minInSteadyWindow).toBeUndefined();
    expect(checkRateLimit([], 60, 60_000)).toMatchObject({ admitted: 0, held: true, maxInWindow: 0 });
  });
});
