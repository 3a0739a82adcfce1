import { describe, expect, it } from 'vitest';
import { describeTokenBucketStoreConformance } from './test-support/token-bucket-store-conformance.js';
import { MemoryTokenBucketStore, type BucketLimit } from './token-bucket.js';

// 10 per second: 0.01 per ms.
const limit: BucketLimit = { capacity: 10, refillPerMs: 0.01 };
const draw = (amount: number, key = 'k', l = limit) => ({ key, amount, limit: l });

describeTokenBucketStoreConformance('MemoryTokenBucketStore', () => {
  const store = new MemoryTokenBucketStore();
  return { store, level: (key, l, now) => store.level(key, l, now) };
});

describe('MemoryTokenBucketStore', () => {
  it('answers synchronously', () => {
    const store = new MemoryTokenBucketStore();
    expect(store.take([draw(6)], 0)).toEqual({ granted: true, waitMs: 0 });
    expect(store.take([draw(6)], 0)).toEqual({ granted: false, waitMs: 200 });
    expect(store.adjust('k', -6, limit, 0)).toBeUndefined();
    expect(store.level('k', limit, 0)).toBe(10);
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
