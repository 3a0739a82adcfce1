import { describe, expect, it } from 'vitest';
import { PromptError } from '../errors/prompt-error.js';
import { BoundedLruCache } from './bounded-lru-cache.js';

describe('BoundedLruCache', () => {
  it('evicts the least recently used entry past the entry bound, a get counting as a use', () => {
    const cache = new BoundedLruCache<string, number>({ maxEntries: 2, maxTotalSize: 100 });
    cache.set('a', 1, 1);
    cache.set('b', 2, 1);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3, 1);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('evicts oldest entries until the total size fits, and keeps nothing larger than the bound', () => {
    const cache = new BoundedLruCache<string, string>({ maxEntries: 10, maxTotalSize: 10 });
    cache.set('a', 'A', 4);
    cache.set('b', 'B', 4);
    cache.set('c', 'C', 4);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.totalSize).toBe(8);
    cache.set('huge', 'H', 11);
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.totalSize).toBe(8);
  });

  it('replaces an entry under the same key, adjusting the total, and drops it if the new size is too big', () => {
    const cache = new BoundedLruCache<string, string>({ maxEntries: 10, maxTotalSize: 10 });
    cache.set('a', 'old', 3);
    cache.set('a', 'new', 5);
    expect(cache.get('a')).toBe('new');
    expect(cache.totalSize).toBe(5);
    cache.set('a', 'too big', 20);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.totalSize).toBe(0);
  });

  it('clears', () => {
    const cache = new BoundedLruCache<string, number>({ maxEntries: 3, maxTotalSize: 3 });
    cache.set('a', 1, 1);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.totalSize).toBe(0);
    expect(cache.get('a')).toBeUndefined();
  });

  it('rejects limits that could hold nothing', () => {
    expect(() => new BoundedLruCache({ maxEntries: 0, maxTotalSize: 1 })).toThrow(PromptError);
    expect(() => new BoundedLruCache({ maxEntries: 1, maxTotalSize: Number.NaN })).toThrow(PromptError);
  });
});
