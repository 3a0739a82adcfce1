import { describe, expect, it } from 'vitest';
import { rateWindows } from './scale-rate-windows.js';

const evenly = (from: number, count: number, gapMs: number) => Array.from({ length: count }, (_, i) => from + i * gapMs);

describe('rateWindows', () => {
  it('counts a full bucket emptied at once, then one call per refill', () => {
    // 60 per minute: a burst of 60, then one a second for four minutes.
    const windows = rateWindows([...evenly(0, 60, 0), ...evenly(1_000, 240, 1_000)], 60, 60_000);
    expect(windows).toMatchObject({ admitted: 300, firstWindow: 119, steadyMin: 60, steadyMax: 60 });
    expect(windows.bucketExcess).toBeLessThanOrEqual(1);
  });

  it('sees windows under the limit when demand falls short, and a bucket overdrawn', () => {
    const slow = rateWindows(evenly(0, 200, 1_500), 60, 60_000);
    expect(slow.steadyMax).toBeLessThan(60 * 0.95);
    const overdrawn = rateWindows(evenly(0, 600, 500), 60, 60_000);
    expect(overdrawn.steadyMax).toBe(120);
    expect(overdrawn.bucketExcess).toBeGreaterThan(1);
  });

  it('refuses a run shorter than three windows', () => {
    expect(() => rateWindows(evenly(0, 10, 1_000), 60, 60_000)).toThrow(/three windows/);
  });
});
