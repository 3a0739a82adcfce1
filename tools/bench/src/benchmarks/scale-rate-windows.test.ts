import { describe, expect, it } from 'vitest';
import { rateWindows } from './scale-rate-windows.js';

const evenly = (from: number, count: number, gapMs: number) => Array.from({ length: count }, (_, i) => from + i * gapMs);

describe('rateWindows', () => {
  it('counts a sliding window kept full: a burst of the limit, then each call again a window later', () => {
    // 60 per minute: 60 at once, then the same 60 every minute for three more minutes.
    const windows = rateWindows([0, 60_000, 120_000, 180_000].flatMap((t) => evenly(t, 60, 0)), 60_000);
    expect(windows).toMatchObject({ admitted: 240, maxInAnyWindow: 60, firstWindow: 60, steadyMax: 60 });
  });

  it('sees the burst a token bucket allows after an idle spell: up to twice the limit in the first window', () => {
    const windows = rateWindows([...evenly(0, 60, 0), ...evenly(1_000, 240, 1_000)], 60_000);
    expect(windows).toMatchObject({ admitted: 300, firstWindow: 119, maxInAnyWindow: 119, steadyMin: 60, steadyMax: 60 });
  });

  it('counts half-open windows: a call exactly a window after another is not in its window', () => {
    const windows = rateWindows([0, 60_000, 120_000, 180_000], 60_000);
    expect(windows.maxInAnyWindow).toBe(1);
    expect(rateWindows([0, 59_999.5, 120_000, 180_000], 60_000).maxInAnyWindow).toBe(2);
  });

  it('sees windows under the limit when demand falls short, and windows over it', () => {
    const slow = rateWindows(evenly(0, 200, 1_500), 60_000);
    expect(slow.steadyMax).toBeLessThan(60 * 0.95);
    const overdrawn = rateWindows(evenly(0, 600, 500), 60_000);
    expect(overdrawn.steadyMax).toBe(120);
    expect(overdrawn.maxInAnyWindow).toBe(120);
  });

  it('starts the steady windows as many windows after the first call as asked', () => {
    // The burst re-admitted 10 s late in the third minute, then on time: windows starting in the
    // 10 s before it miss it.
    const times = [0, 60_000, 130_000, 190_000, 250_000].flatMap((t) => evenly(t, 60, 0));
    expect(rateWindows(times, 60_000).steadyMin).toBe(0);
    expect(rateWindows(times, 60_000, 2).steadyMin).toBe(60);
    expect(() => rateWindows(times.slice(0, 180), 60_000, 2)).toThrow(/4 windows/);
  });

  it('refuses a run shorter than three windows', () => {
    expect(() => rateWindows(evenly(0, 10, 1_000), 60_000)).toThrow(/3 windows/);
  });
});
