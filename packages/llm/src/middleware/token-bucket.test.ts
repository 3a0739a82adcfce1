import { describe, expect, it } from 'vitest';
import { MemoryTokenBucketStore, type BucketLimit } from './token-bucket.js';

// 10 per second: 0.01 per ms.
const limit: BucketLimit = { capacity: 10, refillPerMs: 0.01 };
const draw = (amount: number, key = 'k', l = limit) => ({ key, amount, limit: l });

describe('MemoryTokenBucketStore', () => {
  it('starts full and grants until empty, then says how long to wait', () => {
    const store = new MemoryTokenBucketStore();
    expect(store.take([draw(6)], 0)).toEqual({ granted: true, waitMs: 0 });
    expect(store.take([draw(4)], 0)).toEqual({ granted: true, waitMs: 0 });
    expect(store.take([draw(3)], 0)).toEqual({ granted: false, waitMs: 300 });
    expect(store.level('k', limit, 0)).toBe(0);
  });

  it('refills with time, never above capacity', () => {
    const store = new MemoryTokenBucketStore();
    store.take([draw(10)], 0);
    expect(store.take([draw(3)], 299).granted).toBe(false);
    expect(store.take([draw(3)], 300).granted).toBe(true);
    expect(store.level('k', limit, 1_000_000)).toBe(10);
    expect(store.take([draw(10)], 1_000_000).granted).toBe(true);
    expect(store.take([draw(1)], 1_000_000).granted).toBe(false);
  });

  it('is all-or-nothing over several buckets and waits for the slowest', () => {
    const store = new MemoryTokenBucketStore();
    const slow: BucketLimit = { capacity: 100, refillPerMs: 0.001 };
    store.take([draw(95, 'slow', slow)], 0);
    const result = store.take([draw(5, 'fast'), draw(10, 'slow', slow)], 0);
    expect(result).toEqual({ granted: false, waitMs: 5000 });
    // Nothing was taken from the bucket that could have given.
    expect(store.level('fast', limit, 0)).toBe(10);
    expect(store.take([draw(5, 'fast'), draw(10, 'slow', slow)], 5000).granted).toBe(true);
    expect(store.level('fast', limit, 5000)).toBe(5);
  });

  it('grants a draw larger than the capacity once the bucket is full, leaving it in debt', () => {
    const store = new MemoryTokenBucketStore();
    store.take([draw(1)], 0);
    expect(store.take([draw(25)], 0)).toEqual({ granted: false, waitMs: 100 });
    expect(store.take([draw(25)], 100).granted).toBe(true);
    expect(store.level('k', limit, 100)).toBe(-15);
    // The debt is paid off before anything else goes through.
    expect(store.take([draw(1)], 100)).toEqual({ granted: false, waitMs: 1600 });
  });

  it('adjusts after the fact: charges into debt, refunds up to capacity', () => {
    const store = new MemoryTokenBucketStore();
    store.take([draw(4)], 0);
    store.adjust('k', 10, limit, 0);
    expect(store.level('k', limit, 0)).toBe(-4);
    store.adjust('k', -8, limit, 0);
    expect(store.level('k', limit, 0)).toBe(4);
    store.adjust('k', -100, limit, 0);
    expect(store.level('k', limit, 0)).toBe(10);
  });

  it('neither refills nor drains when the clock steps back', () => {
    const store = new MemoryTokenBucketStore();
    store.take([draw(10)], 1000);
    expect(store.take([draw(1)], 500).granted).toBe(false);
    expect(store.take([draw(1)], 1100).granted).toBe(true);
  });

  it('keeps separate buckets per key', () => {
    const store = new MemoryTokenBucketStore();
    expect(store.take([draw(10, 'a')], 0).granted).toBe(true);
    expect(store.take([draw(10, 'b')], 0).granted).toBe(true);
    expect(store.take([draw(1, 'a')], 0).granted).toBe(false);
  });

  it('forgets full buckets without changing any outcome', () => {
    const store = new MemoryTokenBucketStore();
    store.take([draw(10, 'drained')], 0);
    for (let i = 0; i < 3000; i++) store.take([draw(1, `tenant-${i}`)], i);
    // 'drained' refilled long ago; whether swept or not, it is full.
    expect(store.take([draw(10, 'drained')], 3000).granted).toBe(true);
    expect(store.take([draw(1, 'drained')], 3000).granted).toBe(false);
  });
});
