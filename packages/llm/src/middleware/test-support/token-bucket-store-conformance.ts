import { describe, expect, it } from 'vitest';
import type { BucketLimit, TokenBucketStore } from '../token-bucket.js';

/** A store under test, with a way to read a bucket's level on the caller's clock. */
export interface TokenBucketStoreUnderTest {
  readonly store: TokenBucketStore;
  level(key: string, limit: BucketLimit, now: number): number | Promise<number>;
}

// 10 per second: 0.01 per ms.
const limit: BucketLimit = { capacity: 10, refillPerMs: 0.01 };
// Keys as the rateLimit middleware names them: '<limiter key>:requests' and '<limiter key>:tokens'.
const draw = (amount: number, key = 'lane:k', l = limit) => ({ key, amount, limit: l });

/**
 * The rules of the `TokenBucketStore` contract, run against any store whose clock is the `now`
 * its callers pass. `create` gives a fresh, empty store for each test.
 */
export function describeTokenBucketStoreConformance(name: string, create: () => TokenBucketStoreUnderTest | Promise<TokenBucketStoreUnderTest>): void {
  describe(`${name}: TokenBucketStore conformance`, () => {
    it('starts full and grants until empty, then says how long to wait', async () => {
      const { store, level } = await create();
      expect(await store.take([draw(6)], 0)).toEqual({ granted: true, waitMs: 0 });
      expect(await store.take([draw(4)], 0)).toEqual({ granted: true, waitMs: 0 });
      expect(await store.take([draw(3)], 0)).toEqual({ granted: false, waitMs: 300 });
      expect(await level('lane:k', limit, 0)).toBe(0);
    });

    it('refills with time, never above capacity', async () => {
      const { store, level } = await create();
      await store.take([draw(10)], 0);
      expect((await store.take([draw(3)], 299)).granted).toBe(false);
      expect((await store.take([draw(3)], 300)).granted).toBe(true);
      expect(await level('lane:k', limit, 1_000_000)).toBe(10);
      expect((await store.take([draw(10)], 1_000_000)).granted).toBe(true);
      expect((await store.take([draw(1)], 1_000_000)).granted).toBe(false);
    });

    it('is all-or-nothing over several buckets and waits for the slowest', async () => {
      const { store, level } = await create();
      const slow: BucketLimit = { capacity: 100, refillPerMs: 0.001 };
      await store.take([draw(95, 'lane:slow', slow)], 0);
      const result = await store.take([draw(5, 'lane:fast'), draw(10, 'lane:slow', slow)], 0);
      expect(result).toEqual({ granted: false, waitMs: 5000 });
      // Nothing was taken from the bucket that could have given.
      expect(await level('lane:fast', limit, 0)).toBe(10);
      expect((await store.take([draw(5, 'lane:fast'), draw(10, 'lane:slow', slow)], 5000)).granted).toBe(true);
      expect(await level('lane:fast', limit, 5000)).toBe(5);
      expect(await level('lane:slow', slow, 5000)).toBe(0);
    });

    it('grants a draw larger than the capacity once the bucket is full, leaving it in debt', async () => {
      const { store, level } = await create();
      await store.take([draw(1)], 0);
      expect(await store.take([draw(25)], 0)).toEqual({ granted: false, waitMs: 100 });
      expect((await store.take([draw(25)], 100)).granted).toBe(true);
      expect(await level('lane:k', limit, 100)).toBe(-15);
      // The debt is paid off before anything else goes through.
      expect(await store.take([draw(1)], 100)).toEqual({ granted: false, waitMs: 1600 });
    });

    it('adjusts after the fact: charges into debt, refunds up to capacity', async () => {
      const { store, level } = await create();
      if (store.adjust === undefined) throw new Error(`${name} has no adjust`);
      await store.take([draw(4)], 0);
      await store.adjust('lane:k', 10, limit, 0);
      expect(await level('lane:k', limit, 0)).toBe(-4);
      await store.adjust('lane:k', -8, limit, 0);
      expect(await level('lane:k', limit, 0)).toBe(4);
      await store.adjust('lane:k', -100, limit, 0);
      expect(await level('lane:k', limit, 0)).toBe(10);
    });

    it('adjusts a bucket never seen as a full one', async () => {
      const { store, level } = await create();
      await store.adjust!('lane:refunded', -5, limit, 0);
      expect(await level('lane:refunded', limit, 0)).toBe(10);
      await store.adjust!('lane:charged', 3, limit, 0);
      expect(await level('lane:charged', limit, 0)).toBe(7);
      expect(await level('lane:charged', limit, 200)).toBe(9);
    });

    it('neither refills nor drains when the clock steps back', async () => {
      const { store } = await create();
      await store.take([draw(10)], 1000);
      expect((await store.take([draw(1)], 500)).granted).toBe(false);
      expect((await store.take([draw(1)], 1100)).granted).toBe(true);
    });

    it('keeps separate buckets per key', async () => {
      const { store } = await create();
      expect((await store.take([draw(10, 'a:requests')], 0)).granted).toBe(true);
      expect((await store.take([draw(10, 'b:requests')], 0)).granted).toBe(true);
      expect((await store.take([draw(10, 'a:tokens')], 0)).granted).toBe(true);
      expect((await store.take([draw(1, 'a:requests')], 0)).granted).toBe(false);
    });

    it('keeps fractional amounts and levels exactly', async () => {
      const { store, level } = await create();
      const third: BucketLimit = { capacity: 1, refillPerMs: 1 / 3 };
      let expected = 1;
      for (const amount of [0.1, 0.2, 0.3]) {
        expect((await store.take([draw(amount, 'lane:f', third)], 0)).granted).toBe(true);
        expected -= amount;
      }
      expect(await level('lane:f', third, 0)).toBe(expected);
      expect(await level('lane:f', third, 1)).toBe(Math.min(1, expected + 1 / 3));
      await store.adjust!('lane:f', 0.05, third, 0);
      expect(await level('lane:f', third, 0)).toBe(Math.min(1, expected - 0.05));
    });

    it('rounds a wait up to a whole ms', async () => {
      const { store } = await create();
      const slow: BucketLimit = { capacity: 10, refillPerMs: 0.003 };
      await store.take([draw(10, 'lane:r', slow)], 0);
      expect(await store.take([draw(1, 'lane:r', slow)], 0)).toEqual({ granted: false, waitMs: 334 });
    });

    it('grants an empty take', async () => {
      const { store } = await create();
      expect(await store.take([], 0)).toEqual({ granted: true, waitMs: 0 });
    });
  });
}
