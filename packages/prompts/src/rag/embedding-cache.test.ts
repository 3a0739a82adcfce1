import { describe, expect, it } from 'vitest';
import { PromptError } from '../errors/prompt-error.js';
import { EmbeddingCache } from './embedding-cache.js';

const small = { provider: 'p', modelId: 'small' };
const large = { provider: 'p', modelId: 'large' };

describe('EmbeddingCache', () => {
  it('counts hits and misses, and keeps vectors per model and per requested dimensions', () => {
    const cache = new EmbeddingCache();
    expect(cache.get(small, 'hello')).toBeUndefined();
    cache.set(small, 'hello', [1, 2]);
    expect(cache.get(small, 'hello')).toEqual([1, 2]);
    expect(cache.get(large, 'hello')).toBeUndefined();
    expect(cache.get(small, 'hello', 256)).toBeUndefined();
    expect(cache.get(small, 'Hello')).toBeUndefined();
    expect(cache.hits).toBe(1);
    expect(cache.misses).toBe(4);
  });

  it('does not confuse provider and model ids that contain the separator', () => {
    const cache = new EmbeddingCache();
    cache.set({ provider: 'a:b', modelId: 'c' }, 'x', [1]);
    expect(cache.get({ provider: 'a', modelId: 'b:c' }, 'x')).toBeUndefined();
    expect(cache.get({ provider: 'a:b', modelId: 'c' }, 'x')).toEqual([1]);
  });

  it('stores a copy, so changing the vector handed in changes nothing', () => {
    const cache = new EmbeddingCache();
    const vector = [1, 2, 3];
    cache.set(small, 't', vector);
    vector[0] = 99;
    expect(cache.get(small, 't')).toEqual([1, 2, 3]);
    expect(Object.isFrozen(cache.get(small, 't'))).toBe(true);
  });

  it('evicts the least recently used entry beyond maxEntries', () => {
    const cache = new EmbeddingCache({ maxEntries: 2 });
    cache.set(small, 'a', [1]);
    cache.set(small, 'b', [2]);
    cache.get(small, 'a'); // a is now the most recent
    cache.set(small, 'c', [3]);
    expect(cache.size).toBe(2);
    expect(cache.get(small, 'b')).toBeUndefined();
    expect(cache.get(small, 'a')).toEqual([1]);
    expect(cache.get(small, 'c')).toEqual([3]);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('rejects invalid options with a typed error', () => {
    expect(() => new EmbeddingCache({ maxEntries: 0 })).toThrow(PromptError);
    expect(() => new EmbeddingCache({ maxEntries: 1.5 })).toThrow(/maxEntries/);
  });
});
