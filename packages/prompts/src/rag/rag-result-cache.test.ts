import { describe, expect, it } from 'vitest';
import { PromptError } from '../errors/prompt-error.js';
import { MemoryRagResultCache, ragCacheKey } from './rag-result-cache.js';
import type { ResourceItem } from './resource-item.js';

const items = (): ResourceItem[] => [{ id: 'a', content: 'alpha', score: 1, metadata: { tags: ['x'] } }];

describe('ragCacheKey', () => {
  const base = { adapter: 'kb', query: 'q', k: 3, filters: { lang: 'en', year: 2024 } };

  it('differs when only k or only the filters differ', () => {
    const key = ragCacheKey(base);
    expect(ragCacheKey({ ...base, k: 4 })).not.toBe(key);
    expect(ragCacheKey({ ...base, filters: { lang: 'de', year: 2024 } })).not.toBe(key);
    expect(ragCacheKey({ ...base, filters: { lang: ['en'], year: 2024 } })).not.toBe(key);
    expect(ragCacheKey({ ...base, adapter: 'other' })).not.toBe(key);
    expect(ragCacheKey({ ...base, query: 'q ' })).not.toBe(key);
  });

  it('ignores filter key order and treats no filters as {}', () => {
    expect(ragCacheKey({ ...base, filters: { year: 2024, lang: 'en' } })).toBe(ragCacheKey(base));
    expect(ragCacheKey({ adapter: 'kb', query: 'q', k: 3 })).toBe(ragCacheKey({ adapter: 'kb', query: 'q', k: 3, filters: {} }));
  });

  it('cannot be forged by quotes or separators inside the parts', () => {
    expect(ragCacheKey({ adapter: 'a","b', query: 'c', k: 1 })).not.toBe(ragCacheKey({ adapter: 'a', query: 'b","c', k: 1 }));
  });
});

describe('MemoryRagResultCache', () => {
  it('hits, misses, and hands out copies both ways', () => {
    const cache = new MemoryRagResultCache({ maxEntries: 10 });
    expect(cache.get('k')).toBeUndefined();
    const stored = items();
    cache.set('k', stored);
    stored[0]!.content = 'changed';
    const first = cache.get('k')!;
    expect(first[0]!.content).toBe('alpha');
    (first[0]!.metadata['tags'] as string[]).push('y');
    first.push({ id: 'z', content: '', score: 0, metadata: {} });
    expect(cache.get('k')).toEqual(items());
  });

  it('evicts the least recently used entry beyond maxEntries', () => {
    const cache = new MemoryRagResultCache({ maxEntries: 2 });
    cache.set('a', items());
    cache.set('b', items());
    cache.get('a');
    cache.set('c', items());
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.delete('a')).toBe(true);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('expires entries after ttlMs', () => {
    let now = 1000;
    const cache = new MemoryRagResultCache({ ttlMs: 50, now: () => now });
    cache.set('k', items());
    now += 49;
    expect(cache.get('k')).toBeDefined();
    now += 1;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('rejects invalid options with a typed error', () => {
    expect(() => new MemoryRagResultCache({ maxEntries: 0 })).toThrow(PromptError);
    expect(() => new MemoryRagResultCache({ ttlMs: -1 })).toThrow(/ttlMs/);
  });
});
