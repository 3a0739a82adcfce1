import { MemorySlidingWindowStore, type SlidingWindowStore, type WindowLimit } from '@kit/llm';
import { describe, expect, it } from 'vitest';
import { recordingWindowStore } from './recording-bucket-store.js';

const limit: WindowLimit = { max: 2, windowMs: 1000 };
const draw = [{ key: 'k:requests', amount: 1, limit }];

describe('recordingWindowStore', () => {
  it("reports granted takes with the store's time for them, not refused ones", () => {
    const granted: number[] = [];
    const store = recordingWindowStore(new MemorySlidingWindowStore(), { onGranted: (at) => void granted.push(...at) });
    expect(store.take(draw, 100)).toMatchObject({ granted: true });
    // A caller whose clock reads earlier gets the newest entry's time: that is what is reported.
    expect(store.take(draw, 90)).toMatchObject({ granted: true, admission: { at: 100 } });
    expect(store.take(draw, 102)).toEqual({ granted: false, waitMs: 998 });
    expect(granted).toEqual([100, 100]);
  });

  it('divides waits by the time scale, for a middleware that sleeps them in real ms', () => {
    const store = recordingWindowStore(new MemorySlidingWindowStore(), { onGranted: () => undefined, timeScale: 20 });
    store.take(draw, 0);
    store.take(draw, 0);
    expect(store.take(draw, 1)).toEqual({ granted: false, waitMs: 50 });
    expect(store.take(draw, 999.5)).toEqual({ granted: false, waitMs: 1 });
  });

  it('reports takes of a store that answers with promises, and keeps adjust', async () => {
    const granted: number[] = [];
    const memory = new MemorySlidingWindowStore();
    const remote: SlidingWindowStore = {
      kind: 'sliding-window',
      take: async (draws, now) => memory.take(draws, now),
      adjust: async (...args) => memory.adjust(...args),
    };
    const store = recordingWindowStore(remote, { onGranted: (at) => void granted.push(...at), timeScale: 10 });
    const taken = await store.take(draw, 5);
    await store.take(draw, 5);
    expect(await store.take(draw, 5)).toEqual({ granted: false, waitMs: 100 });
    await store.adjust!('k:requests', -1, limit, 6, taken.admission!);
    expect(granted).toEqual([5, 5]);
    expect(memory.usage('k:requests', limit, 6)).toBe(1);
  });

  it('records every caller a batched take admits, and scales the wait of the one refused', async () => {
    const granted: number[] = [];
    const store = recordingWindowStore(new MemorySlidingWindowStore(), { onGranted: (at) => void granted.push(...at), timeScale: 10 });
    const result = await store.takeBatch!([draw, draw, draw], 40);
    expect(result.admissions).toHaveLength(2);
    // The first entry leaves at 1040: 1000 limiter ms, 100 real ms at a time scale of 10.
    expect(result.waitMs).toBe(100);
    expect(granted).toEqual([40, 40]);
  });

  it('hands out grants only once an asynchronous recorder has them, and fails the take when it fails', async () => {
    const log: number[] = [];
    let fail = false;
    let release: (() => void) | undefined;
    const store = recordingWindowStore(new MemorySlidingWindowStore(), {
      onGranted: (at) =>
        new Promise<void>((resolve, reject) => {
          release = () => (fail ? reject(new Error('log down')) : (log.push(...at), resolve()));
        }),
    });
    let settled = false;
    const taken = Promise.resolve(store.take(draw, 0)).then((r) => ((settled = true), r));
    await Promise.resolve();
    expect(settled).toBe(false);
    release!();
    expect(await taken).toMatchObject({ granted: true });
    expect(log).toEqual([0]);
    fail = true;
    const failed = Promise.resolve(store.take(draw, 1));
    release!();
    await expect(failed).rejects.toThrow('log down');
    // A refused take records nothing and does not wait for the recorder.
    expect(store.take(draw, 2)).toEqual({ granted: false, waitMs: 998 });
  });

  it('offers takeBatch only when the wrapped store has it', () => {
    const memory = new MemorySlidingWindowStore();
    const plain: SlidingWindowStore = { kind: 'sliding-window', take: (draws, now) => memory.take(draws, now) };
    expect(recordingWindowStore(plain, { onGranted: () => undefined }).takeBatch).toBeUndefined();
    expect(recordingWindowStore(memory, { onGranted: () => undefined }).takeBatch).toBeTypeOf('function');
  });
});
