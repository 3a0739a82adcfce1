import { describe, expect, it } from 'vitest';
import { MemorySlidingWindowStore, type WindowLimit } from './sliding-window.js';
import { describeSlidingWindowStoreConformance } from './test-support/sliding-window-store-conformance.js';

const limit: WindowLimit = { max: 10, windowMs: 1000 };
const draw = (amount: number, key = 'k', l = limit) => ({ key, amount, limit: l });

describeSlidingWindowStoreConformance('MemorySlidingWindowStore', () => {
  const store = new MemorySlidingWindowStore();
  return { store, usage: (key, l, now) => store.usage(key, l, now) };
});

describe('MemorySlidingWindowStore', () => {
  it('answers synchronously', () => {
    const store = new MemorySlidingWindowStore();
    const granted = store.take([draw(6)], 0);
    expect(granted).toEqual({ granted: true, waitMs: 0, admission: { at: 0, id: 1 } });
    expect(store.take([draw(6)], 0)).toEqual({ granted: false, waitMs: 1000 });
    expect(store.adjust('k', -6, limit, 0, granted.admission!)).toBeUndefined();
    expect(store.usage('k', limit, 0)).toBe(0);
  });

  it('keeps only the entries of the last window, however many pass through', () => {
    const store = new MemorySlidingWindowStore();
    const wide: WindowLimit = { max: 1_000_000, windowMs: 100 };
    let granted = 0;
    for (let t = 0; t < 20_000; t++) if (store.take([draw(1, 'busy', wide)], t).granted) granted++;
    expect(granted).toBe(20_000);
    expect(store.usage('busy', wide, 19_999)).toBe(100);
    // The arrays behind the log are compacted as entries leave: at most about twice the window.
    const log = (store as unknown as { logs: Map<string, { times: number[] }> }).logs.get('busy')!;
    expect(log.times.length).toBeLessThanOrEqual(2 * 100 + 64);
  });

  it('forgets idle keys without changing any outcome', () => {
    const store = new MemorySlidingWindowStore();
    store.take([draw(10, 'drained')], 0);
    const recent = store.take([draw(10, 'recent')], 2900);
    for (let i = 0; i < 3000; i++) store.take([draw(1, `tenant-${i}`)], i);
    // Swept every 1024 takes: what is left is at most the last window's tenants plus those since the sweep.
    expect(store.size).toBeLessThanOrEqual(1000 + 1024 + 2);
    expect(store.take([draw(10, 'drained')], 3000).granted).toBe(true);
    expect(store.take([draw(1, 'drained')], 3000).granted).toBe(false);
    expect(store.take([draw(1, 'recent')], 3000)).toEqual({ granted: false, waitMs: 900 });
    store.adjust('recent', -10, limit, 3000, recent.admission!);
    expect(store.take([draw(10, 'recent')], 3000).granted).toBe(true);
  });
});
