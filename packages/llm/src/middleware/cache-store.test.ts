import { describe, expect, it } from 'vitest';
import type { CompletionResponse } from '../types/response.js';
import { MemoryCacheStore, type CachedEntry } from './cache-store.js';
import { describeCacheStoreConformance } from './test-support/cache-store-conformance.js';

function entry(text: string): CachedEntry & { kind: 'response' } {
  const response: CompletionResponse = {
    text,
    toolCalls: [],
    reasoning: [],
    finishReason: 'stop',
    usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
    provider: 'test',
    model: 'm1',
    providerMetadata: { nested: { id: 'r1' } },
  };
  return { kind: 'response', response };
}

describeCacheStoreConformance('MemoryCacheStore', ({ defaultTtlMs }) => {
  let now = 0;
  const store = new MemoryCacheStore({ ...(defaultTtlMs === undefined ? {} : { ttlMs: defaultTtlMs }), now: () => now });
  return { store, advance: (ms) => void (now += ms) };
});

describe('MemoryCacheStore', () => {
  it('keeps a frozen copy: neither the writer nor a reader can change it', () => {
    const store = new MemoryCacheStore();
    const original = entry('hello');
    store.set('k', original, undefined);
    original.response.text = 'changed by the writer';
    (original.response.providerMetadata!.nested as { id: string }).id = 'changed';
    const stored = store.get('k') as CachedEntry & { kind: 'response' };
    expect(stored.response.text).toBe('hello');
    expect(stored.response.providerMetadata).toEqual({ nested: { id: 'r1' } });
    expect(() => {
      (stored.response as { text: string }).text = 'changed by a reader';
    }).toThrow(TypeError);
    expect(Object.isFrozen(stored.response.providerMetadata!.nested)).toBe(true);
  });

  it('expires entries exactly at the default TTL or the one given to set', () => {
    let now = 1000;
    const store = new MemoryCacheStore({ ttlMs: 100, now: () => now });
    store.set('default', entry('a'), undefined);
    store.set('long', entry('b'), 500);
    now += 99;
    expect(store.get('default')).toBeDefined();
    now += 2;
    expect(store.get('default')).toBeUndefined();
    expect(store.get('long')).toBeDefined();
    now += 400;
    expect(store.get('long')).toBeUndefined();
  });

  it('expires entries with a clock that starts at 0', () => {
    let now = 0;
    const store = new MemoryCacheStore({ now: () => now });
    store.set('k', entry('a'), 10);
    now = 11;
    expect(store.get('k')).toBeUndefined();
  });

  it('keeps entries without a TTL until evicted, least recently used first', () => {
    let now = 0;
    const store = new MemoryCacheStore({ maxEntries: 2, now: () => now });
    store.set('a', entry('a'), undefined);
    store.set('b', entry('b'), undefined);
    store.get('a');
    store.set('c', entry('c'), undefined);
    now += 1e9;
    expect(store.get('a')).toBeDefined();
    expect(store.get('b')).toBeUndefined();
    expect(store.get('c')).toBeDefined();
    expect(store.size).toBe(2);
    store.delete('a');
    expect(store.get('a')).toBeUndefined();
  });

  it('rejects nonsense options', () => {
    expect(() => new MemoryCacheStore({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => new MemoryCacheStore({ ttlMs: -1 })).toThrow(RangeError);
  });
});
