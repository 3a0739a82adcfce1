import { describe, expect, it } from 'vitest';
import type { CompletionResponse } from '../../types/response.js';
import type { StreamPart } from '../../types/stream-part.js';
import type { CacheStore, CachedEntry } from '../cache-store.js';

/** A store under test, and a way to let time pass for its TTLs. */
export interface CacheStoreUnderTest {
  readonly store: CacheStore;
  /** Lets `ms` pass on the clock the store expires entries by. */
  advance(ms: number): void | Promise<void>;
}

type ResponseEntry = CachedEntry & { kind: 'response' };
type StreamEntry = CachedEntry & { kind: 'stream' };

function responseEntry(text: string): ResponseEntry {
  const response: CompletionResponse = {
    text,
    toolCalls: [{ id: 'call_1', name: 'weather', arguments: { city: 'Oslo', days: [1, 2], nested: { unit: 'C' } } }],
    reasoning: [{ type: 'reasoning', text: 'thinking', signature: 'sig' }],
    finishReason: 'tool-calls',
    usage: { inputTokens: 11, outputTokens: 7, totalTokens: 18, cachedInputTokens: 3 },
    provider: 'test',
    model: 'm1',
    providerMetadata: { nested: { id: 'r1' }, list: [1, 'two', null] },
  };
  return { kind: 'response', response };
}

function streamParts(): StreamPart[] {
  return [
    { type: 'reasoning-delta', text: 'hm', signature: 'sig' },
    { type: 'text-delta', text: 'Hel' },
    { type: 'text-delta', text: '' },
    { type: 'text-delta', text: 'lo' },
    { type: 'tool-call-start', id: 'c1', name: 'weather' },
    { type: 'tool-call-delta', id: 'c1', argumentsDelta: '{"city":' },
    { type: 'tool-call-delta', id: 'c1', argumentsDelta: '"Oslo"}' },
    { type: 'tool-call-end', id: 'c1', name: 'weather', arguments: { city: 'Oslo' } },
    { type: 'text-delta', text: ' again' },
    { type: 'usage', usage: { inputTokens: 5, outputTokens: 4, totalTokens: 9 } },
    { type: 'finish', finishReason: 'stop', providerMetadata: { id: 'r1' } },
  ];
}

/** Text that must come back exactly as it went in: template syntax, special tokens, escapes, astral and lone surrogates. */
const AWKWARD_TEXT = 'a {{name}} ((x)) {% if %} <|endoftext|> "quoted" \\ \n\t\u0000 é 漢字 🎉 \ud800 end';

/** Tries to change an entry a reader got; a store may hand out frozen data, which refuses. */
function scribble(entry: CachedEntry | undefined): void {
  try {
    if (entry?.kind === 'response') {
      (entry.response as { text: string }).text = 'changed by a reader';
      (entry.response.providerMetadata!.nested as { id: string }).id = 'changed';
      (entry.response.toolCalls[0]!.arguments as { city: string }).city = 'changed';
    } else if (entry?.kind === 'stream') {
      (entry.parts[1] as { text: string }).text = 'changed by a reader';
      (entry.parts as StreamPart[]).pop();
    }
  } catch {
    // Frozen: the store's way of keeping readers apart.
  }
}

/**
 * The rules of the `CacheStore` contract, run against any store. `create` gives a fresh, empty
 * store with the given default TTL for each test.
 */
export function describeCacheStoreConformance(
  name: string,
  create: (options: { defaultTtlMs?: number }) => CacheStoreUnderTest | Promise<CacheStoreUnderTest>,
): void {
  describe(`${name}: CacheStore conformance`, () => {
    it('returns what was set, undefined for what was not, and the last of two sets', async () => {
      const { store } = await create({});
      await store.set('k', responseEntry('hello'), undefined);
      expect(await store.get('k')).toEqual(responseEntry('hello'));
      expect(await store.get('other')).toBeUndefined();
      await store.set('k', responseEntry('again'), undefined);
      expect(await store.get('k')).toEqual(responseEntry('again'));
    });

    it('keeps a stream entry exactly, part by part', async () => {
      const { store } = await create({});
      await store.set('s', { kind: 'stream', parts: streamParts() }, undefined);
      expect(await store.get('s')).toEqual({ kind: 'stream', parts: streamParts() });
    });

    it('keeps user text exactly as data', async () => {
      const { store } = await create({});
      await store.set('r', responseEntry(AWKWARD_TEXT), undefined);
      await store.set('s', { kind: 'stream', parts: [{ type: 'text-delta', text: AWKWARD_TEXT }, { type: 'text-delta', text: AWKWARD_TEXT }, { type: 'finish', finishReason: 'stop' }] }, undefined);
      expect(((await store.get('r')) as ResponseEntry).response.text).toBe(AWKWARD_TEXT);
      expect(((await store.get('s')) as StreamEntry).parts.slice(0, 2)).toEqual([
        { type: 'text-delta', text: AWKWARD_TEXT },
        { type: 'text-delta', text: AWKWARD_TEXT },
      ]);
    });

    it('captures the entry when set is called: later changes by the writer do not show', async () => {
      const { store } = await create({});
      const original = responseEntry('hello');
      const parts = streamParts();
      // Changed before the writes are awaited: a store must have captured the entry already.
      const writes = [store.set('r', original, undefined), store.set('s', { kind: 'stream', parts }, undefined)];
      original.response.text = 'changed by the writer';
      (original.response.providerMetadata!.nested as { id: string }).id = 'changed';
      (parts[1] as { text: string }).text = 'changed by the writer';
      parts.length = 2;
      await Promise.all(writes);
      expect(await store.get('r')).toEqual(responseEntry('hello'));
      expect(await store.get('s')).toEqual({ kind: 'stream', parts: streamParts() });
    });

    it('keeps readers apart: what one reader changes, the next does not see', async () => {
      const { store } = await create({});
      await store.set('r', responseEntry('hello'), undefined);
      await store.set('s', { kind: 'stream', parts: streamParts() }, undefined);
      scribble(await store.get('r'));
      scribble(await store.get('s'));
      expect(await store.get('r')).toEqual(responseEntry('hello'));
      expect(await store.get('s')).toEqual({ kind: 'stream', parts: streamParts() });
    });

    it('expires entries after the TTL given to set, or the default one', async () => {
      const { store, advance } = await create({ defaultTtlMs: 40 });
      await store.set('short', responseEntry('a'), 40);
      await store.set('default', responseEntry('b'), undefined);
      await store.set('long', responseEntry('c'), 600_000);
      expect(await store.get('long')).toBeDefined();
      await advance(100);
      expect(await store.get('short')).toBeUndefined();
      expect(await store.get('default')).toBeUndefined();
      expect(await store.get('long')).toEqual(responseEntry('c'));
    });

    it('keeps entries without any TTL', async () => {
      const { store, advance } = await create({});
      await store.set('k', responseEntry('a'), undefined);
      await advance(100);
      expect(await store.get('k')).toEqual(responseEntry('a'));
    });

    it('deletes an entry', async () => {
      const { store } = await create({});
      if (store.delete === undefined) throw new Error(`${name} has no delete`);
      await store.set('k', responseEntry('a'), undefined);
      await store.set('other', responseEntry('b'), undefined);
      await store.delete('k');
      await store.delete('never-set');
      expect(await store.get('k')).toBeUndefined();
      expect(await store.get('other')).toBeDefined();
    });
  });
}
