import { MemorySlidingWindowStore, type SlidingWindowStore, type WindowLimit } from '@kit/llm';
import { describe, expect, it } from 'vitest';
import { recordingWindowStore } from './recording-bucket-store.js';

const limit: WindowLimit = { max: 2, windowMs: 1000 };
const draw = [{ key: 'k:requests', amount: 1, limit }];

describe('recordingWindowStore', () => {
  it("reports granted takes with the store's time for them, not refused ones", () => {
    const granted: number[] = [];
    const store = recordingWindowStore(new MemorySlidingWindowStore(), { onGranted: (at) => granted.push(at) });
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
    const store = recordingWindowStore(remote, { onGranted: (at) => granted.push(at), timeScale: 10 });
    const taken = await store.take(draw, 5);
    await store.take(draw, 5);
    expect(await store.take(draw, 5)).toEqual({ granted: false, waitMs: 100 });
    await store.adjust!('k:requests', -1, limit, 6, taken.admission!);
    expect(granted).toEqual([5, 5]);
    expect(memory.usage('k:requests', limit, 6)).toBe(1);
  });
});
