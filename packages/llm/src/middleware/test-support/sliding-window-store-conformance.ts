import { describe, expect, it } from 'vitest';
import type { SlidingWindowStore, WindowAdmission, WindowLimit, WindowTakeResult } from '../sliding-window.js';

/** A store under test, with a way to read a window's sum on the caller's clock. */
export interface SlidingWindowStoreUnderTest {
  readonly store: SlidingWindowStore;
  usage(key: string, limit: WindowLimit, now: number): number | Promise<number>;
}

// 10 per second.
const limit: WindowLimit = { max: 10, windowMs: 1000 };
// Keys as the rateLimit middleware names them: '<limiter key>:requests' and '<limiter key>:tokens'.
const draw = (amount: number, key = 'lane:k', l = limit) => ({ key, amount, limit: l });

function admitted(result: WindowTakeResult): WindowAdmission {
  if (!result.granted) throw new Error(`not granted: wait ${result.waitMs} ms`);
  return result.admission;
}

/**
 * The rules of the `SlidingWindowStore` contract, run against any store whose clock is the `now`
 * its callers pass. `create` gives a fresh, empty store for each test.
 */
export function describeSlidingWindowStoreConformance(
  name: string,
  create: () => SlidingWindowStoreUnderTest | Promise<SlidingWindowStoreUnderTest>,
): void {
  describe(`${name}: SlidingWindowStore conformance`, () => {
    it('says it is a sliding-window store', async () => {
      const { store } = await create();
      expect(store.kind).toBe('sliding-window');
    });

    it('admits up to max in a window, then says how long until the oldest entries leave', async () => {
      const { store, usage } = await create();
      expect(await store.take([draw(6)], 0)).toMatchObject({ granted: true, waitMs: 0, admission: { at: 0 } });
      expect(await store.take([draw(4)], 400)).toMatchObject({ granted: true, admission: { at: 400 } });
      // 3 more need the 6 at 0 to leave: at 1000.
      expect(await store.take([draw(3)], 500)).toEqual({ granted: false, waitMs: 500 });
      expect(await usage('lane:k', limit, 500)).toBe(10);
      // Half-open windows: at 999 the first entry still counts, at 1000 it has left.
      expect((await store.take([draw(3)], 999)).granted).toBe(false);
      expect((await store.take([draw(3)], 1000)).granted).toBe(true);
      expect(await usage('lane:k', limit, 1000)).toBe(7);
      expect(await usage('lane:k', limit, 1400)).toBe(3);
    });

    it('has no burst: after an idle spell a window holds max, never more', async () => {
      const { store } = await create();
      for (let i = 0; i < 10; i++) expect((await store.take([draw(1)], 100_000 + i)).granted).toBe(true);
      // A token bucket would give more as it refills; the window waits for the first entry to leave.
      expect(await store.take([draw(1)], 100_500)).toEqual({ granted: false, waitMs: 500 });
      expect((await store.take([draw(1)], 101_000)).granted).toBe(true);
      expect((await store.take([draw(1)], 101_000)).granted).toBe(false);
    });

    it('waits for as many of the oldest entries as the draw needs', async () => {
      const { store } = await create();
      await store.take([draw(2)], 0);
      await store.take([draw(3)], 100);
      await store.take([draw(5)], 200);
      // 4 needs the 2 at 0 and the 3 at 100 gone: the wait ends at 1100.
      expect(await store.take([draw(4)], 300)).toEqual({ granted: false, waitMs: 800 });
      expect(await store.take([draw(2)], 300)).toEqual({ granted: false, waitMs: 700 });
    });

    it('is all-or-nothing over several windows and waits for the slowest', async () => {
      const { store, usage } = await create();
      const slow: WindowLimit = { max: 100, windowMs: 10_000 };
      await store.take([draw(95, 'lane:slow', slow)], 0);
      const result = await store.take([draw(5, 'lane:fast'), draw(10, 'lane:slow', slow)], 0);
      expect(result).toEqual({ granted: false, waitMs: 10_000 });
      // Nothing was admitted into the window that had room.
      expect(await usage('lane:fast', limit, 0)).toBe(0);
      const granted = admitted(await store.take([draw(5, 'lane:fast'), draw(10, 'lane:slow', slow)], 10_000));
      expect(granted.at).toBe(10_000);
      expect(await usage('lane:fast', limit, 10_000)).toBe(5);
      expect(await usage('lane:slow', slow, 10_000)).toBe(10);
    });

    it('grants a draw larger than max once its window is empty, and makes everything after it wait it out', async () => {
      const { store, usage } = await create();
      await store.take([draw(1)], 0);
      expect(await store.take([draw(25)], 0)).toEqual({ granted: false, waitMs: 1000 });
      expect((await store.take([draw(25)], 1000)).granted).toBe(true);
      expect(await usage('lane:k', limit, 1000)).toBe(25);
      expect(await store.take([draw(1)], 1500)).toEqual({ granted: false, waitMs: 500 });
      expect((await store.take([draw(10)], 2000)).granted).toBe(true);
    });

    it("refunds from the admission's own entry, which frees room only while that entry is in the window", async () => {
      const { store, usage } = await create();
      const first = admitted(await store.take([draw(8)], 0));
      await store.take([draw(2)], 600);
      await store.adjust!('lane:k', -5, limit, 700, first);
      expect(await usage('lane:k', limit, 700)).toBe(5);
      expect((await store.take([draw(5)], 700)).granted).toBe(true);
      expect((await store.take([draw(1)], 700)).granted).toBe(false);
      // The 3 left of the first entry go at 1000; the refund did not move anything later.
      expect(await store.take([draw(3)], 900)).toEqual({ granted: false, waitMs: 100 });
      expect((await store.take([draw(3)], 1000)).granted).toBe(true);
    });

    it('never refunds an entry below zero, and ignores a refund of an entry that has left', async () => {
      const { store, usage } = await create();
      const first = admitted(await store.take([draw(4)], 0));
      await store.take([draw(3)], 100);
      await store.adjust!('lane:k', -100, limit, 200, first);
      expect(await usage('lane:k', limit, 200)).toBe(3);
      const old = admitted(await store.take([draw(2)], 300));
      await store.take([draw(1)], 1200);
      await store.adjust!('lane:k', -2, limit, 1400, old);
      expect(await usage('lane:k', limit, 1400)).toBe(1);
      // A refund for a key never seen does nothing either.
      await store.adjust!('lane:other', -2, limit, 1400, old);
      expect(await usage('lane:other', limit, 1400)).toBe(0);
    });

    it('charges after the fact as a new entry at the time of the charge, past max if need be', async () => {
      const { store, usage } = await create();
      const first = admitted(await store.take([draw(6)], 0));
      await store.adjust!('lane:k', 7, limit, 500, first);
      expect(await usage('lane:k', limit, 500)).toBe(13);
      // The 6 at 0 leaves at 1000, the charge of 7 at 1500: 1 fits once the 6 have left.
      expect(await store.take([draw(1)], 600)).toEqual({ granted: false, waitMs: 400 });
      expect(await usage('lane:k', limit, 1000)).toBe(7);
      expect(await store.take([draw(4)], 1000)).toEqual({ granted: false, waitMs: 500 });
      expect((await store.take([draw(3)], 1000)).granted).toBe(true);
    });

    it('keeps the store time monotonic when callers arrive out of order', async () => {
      const { store, usage } = await create();
      const late = admitted(await store.take([draw(5)], 1000));
      // A caller whose clock reads earlier is put at the newest entry's time, not behind it.
      const early = admitted(await store.take([draw(5)], 400));
      expect([late.at, early.at]).toEqual([1000, 1000]);
      // So the window that ends just before 2000 holds both, and nothing else fits until 2000.
      expect(await store.take([draw(1)], 1500)).toEqual({ granted: false, waitMs: 500 });
      expect(await usage('lane:k', limit, 1999)).toBe(10);
      expect((await store.take([draw(10)], 2000)).granted).toBe(true);
    });

    it('gives every take its own admission id, the same in all of its windows', async () => {
      const { store, usage } = await create();
      const a = admitted(await store.take([draw(3, 'lane:requests'), draw(3, 'lane:tokens')], 0));
      const b = admitted(await store.take([draw(3, 'lane:requests'), draw(3, 'lane:tokens')], 0));
      expect(a.id).not.toEqual(b.id);
      await store.adjust!('lane:tokens', -3, limit, 0, a);
      expect(await usage('lane:tokens', limit, 0)).toBe(3);
      expect(await usage('lane:requests', limit, 0)).toBe(6);
    });

    it('keeps separate windows per key', async () => {
      const { store } = await create();
      expect((await store.take([draw(10, 'a:requests')], 0)).granted).toBe(true);
      expect((await store.take([draw(10, 'b:requests')], 0)).granted).toBe(true);
      expect((await store.take([draw(10, 'a:tokens')], 0)).granted).toBe(true);
      expect((await store.take([draw(1, 'a:requests')], 0)).granted).toBe(false);
    });

    it('keeps fractional amounts and times exactly', async () => {
      const { store, usage } = await create();
      let expected = 0;
      for (const amount of [0.1, 0.2, 0.3]) {
        expect((await store.take([draw(amount, 'lane:f')], 0.25)).granted).toBe(true);
        expected += amount;
      }
      expect(await usage('lane:f', limit, 0.25)).toBeCloseTo(expected, 12);
      expect((await store.take([draw(10 - expected + 1e-6, 'lane:f')], 0.5)).granted).toBe(false);
      // 1.7e12 ms (a real epoch time) plus a fraction survives the round trip.
      const at = 1_700_000_000_000.125;
      expect(admitted(await store.take([draw(1, 'lane:t')], at)).at).toBe(at);
      expect(await store.take([draw(10, 'lane:t')], at + 999.875)).toEqual({ granted: false, waitMs: 1 });
      expect((await store.take([draw(10, 'lane:t')], at + 1000)).granted).toBe(true);
    });

    it('rounds a wait up to a whole ms', async () => {
      const { store } = await create();
      await store.take([draw(10)], 0.5);
      expect(await store.take([draw(1)], 0)).toEqual({ granted: false, waitMs: 1000 });
      expect(await store.take([draw(1)], 600)).toEqual({ granted: false, waitMs: 401 });
    });

    it('refuses a take that names a key twice', async () => {
      const { store } = await create();
      await expect(async () => store.take([draw(1), draw(1)], 0)).rejects.toThrow(RangeError);
    });

    it('grants an empty take', async () => {
      const { store } = await create();
      expect(await store.take([], 0)).toMatchObject({ granted: true, waitMs: 0 });
    });

    describe('takeBatch', () => {
      const pair = (requests: number, tokens: number) => [draw(requests, 'lane:requests'), draw(tokens, 'lane:tokens')];

      it('admits sets in order until one does not fit, as single takes at one time would', async () => {
        const { store, usage } = await create();
        await store.take([draw(2, 'lane:requests')], 0);
        const result = await store.takeBatch!([pair(1, 3), pair(1, 4), pair(1, 4), pair(1, 1)], 100);
        // 3 + 4 tokens fit; the third set's 4 would make 11 of 10, so it and the one after wait
        // (until the 3 tokens at 100 leave), although the last one alone would fit: a later set
        // never passes a refused one.
        expect(result.admissions).toHaveLength(2);
        expect(result.waitMs).toBe(1000);
        expect(result.admissions.map((a) => a.at)).toEqual([100, 100]);
        expect(await usage('lane:requests', limit, 100)).toBe(4);
        expect(await usage('lane:tokens', limit, 100)).toBe(7);
      });

      it('admits every set when all fit, each with its own id that adjust can name', async () => {
        const { store, usage } = await create();
        const result = await store.takeBatch!([pair(1, 2), pair(1, 2), pair(1, 2)], 0);
        expect(result.waitMs).toBe(0);
        const ids = result.admissions.map((a) => a.id);
        expect(new Set(ids).size).toBe(3);
        // Its ids never collide with a single take's either.
        const single = admitted(await store.take(pair(1, 1), 0));
        expect(ids).not.toContain(single.id);
        await store.adjust!('lane:tokens', -2, limit, 0, result.admissions[1]!);
        expect(await usage('lane:tokens', limit, 0)).toBe(5);
        expect(await usage('lane:requests', limit, 0)).toBe(4);
      });

      it('admits nothing when the first set does not fit, and says how long until it would', async () => {
        const { store, usage } = await create();
        await store.take([draw(9, 'lane:requests')], 0);
        const result = await store.takeBatch!([[draw(2, 'lane:requests')], [draw(1, 'lane:requests')]], 250);
        expect(result).toEqual({ admissions: [], waitMs: 750 });
        expect(await usage('lane:requests', limit, 250)).toBe(9);
      });

      it('keeps the store time monotonic, as take does', async () => {
        const { store } = await create();
        await store.take([draw(1, 'lane:requests')], 1000);
        const result = await store.takeBatch!([[draw(1, 'lane:requests')], [draw(1, 'lane:requests')]], 400);
        expect(result.admissions.map((a) => a.at)).toEqual([1000, 1000]);
      });

      it('refuses sets that name different keys or limits', async () => {
        const { store } = await create();
        await expect(async () => store.takeBatch!([[draw(1, 'lane:requests')], [draw(1, 'lane:tokens')]], 0)).rejects.toThrow(RangeError);
        await expect(async () => store.takeBatch!([[draw(1)], [draw(1, 'lane:k', { max: 5, windowMs: 1000 })]], 0)).rejects.toThrow(RangeError);
        await expect(async () => store.takeBatch!([pair(1, 1), [draw(1, 'lane:requests')]], 0)).rejects.toThrow(RangeError);
      });

      it('answers an empty batch with nothing admitted', async () => {
        const { store } = await create();
        expect(await store.takeBatch!([], 0)).toEqual({ admissions: [], waitMs: 0 });
      });
    });
  });
}
