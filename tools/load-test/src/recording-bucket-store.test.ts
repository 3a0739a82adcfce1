import { MemoryTokenBucketStore, type BucketLimit, type TokenBucketStore } from '@kit/llm';
import { describe, expect, it } from 'vitest';
import { recordingBucketStore } from './recording-bucket-store.js';

const limit: BucketLimit = { capacity: 2, refillPerMs: 0.001 };
const draw = [{ key: 'k:requests', amount: 1, limit }];

describe('recordingBucketStore', () => {
  it('reports granted takes with the time the bucket was given, not refused ones', () => {
    const granted: number[] = [];
    const store = recordingBucketStore(new MemoryTokenBucketStore(), (now) => granted.push(now));
    expect(store.take(draw, 100)).toMatchObject({ granted: true });
    expect(store.take(draw, 101)).toMatchObject({ granted: true });
    expect(store.take(draw, 102)).toMatchObject({ granted: false });
    expect(granted).toEqual([100, 101]);
  });

  it('reports takes of a store that answers with promises, and keeps adjust', async () => {
    const granted: number[] = [];
    const memory = new MemoryTokenBucketStore();
    const remote: TokenBucketStore = { take: async (draws, now) => memory.take(draws, now), adjust: async (key, delta, l, now) => memory.adjust(key, delta, l, now) };
    const store = recordingBucketStore(remote, (now) => granted.push(now));
    await store.take(draw, 5);
    await store.adjust!('k:requests', 1, limit, 6);
    expect(granted).toEqual([5]);
    expect(memory.level('k:requests', limit, 6)).toBeCloseTo(0);
  });
});
