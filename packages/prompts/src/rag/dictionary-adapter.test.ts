import { describe, expect, it } from 'vitest';
import { PromptError } from '../errors/prompt-error.js';
import { DictionaryAdapter } from './dictionary-adapter.js';
import { RagAbortedError } from './rag-aborted-error.js';

const entries = {
  BM25: 'A ranking function for keyword search.',
  'vector search': { content: 'Search by embedding similarity.', metadata: { topic: 'retrieval' } },
  search: { content: 'Finding things.', metadata: { topic: 'general' } },
  'C++': 'A programming language.',
  'a.b': 'A dotted key.',
};

describe('DictionaryAdapter', () => {
  it('returns entries whose key appears as a whole word or phrase, case-insensitively by default', async () => {
    const glossary = new DictionaryAdapter({ name: 'glossary', entries });
    const found = await glossary.search('How does bm25 compare to Vector   Search?', { k: 10 });
    expect(found.map((f) => f.id)).toEqual(['vector search', 'search', 'BM25']);
    expect(found[2]).toEqual({ id: 'BM25', content: 'A ranking function for keyword search.', score: 1, metadata: {} });
    expect(found[0]!.metadata).toEqual({ topic: 'retrieval' });
  });

  it('does not match inside longer words', async () => {
    const glossary = new DictionaryAdapter({ name: 'glossary', entries });
    expect(await glossary.search('researcher BM250 searching', { k: 10 })).toEqual([]);
    expect((await glossary.search('search-engine', { k: 10 })).map((f) => f.id)).toEqual(['search']);
    expect(await glossary.search('Überbm25', { k: 10 })).toEqual([]);
  });

  it('scores by occurrences, then prefers longer keys, then ids', async () => {
    const glossary = new DictionaryAdapter({ name: 'glossary', entries });
    const found = await glossary.search('search, search and vector search; bm25', { k: 10 });
    expect(found.map((f) => [f.id, f.score])).toEqual([
      ['search', 3],
      ['vector search', 1],
      ['BM25', 1],
    ]);
    expect((await glossary.search('search and vector search', { k: 1 })).map((f) => f.id)).toEqual(['search']);
  });

  it('matches keys literally, regex characters included', async () => {
    const glossary = new DictionaryAdapter({ name: 'glossary', entries });
    expect((await glossary.search('I write C++ daily', { k: 10 })).map((f) => f.id)).toEqual(['C++']);
    expect((await glossary.search('see a.b here', { k: 10 })).map((f) => f.id)).toEqual(['a.b']);
    expect(await glossary.search('see axb here', { k: 10 })).toEqual([]);
  });

  it('respects case when asked to', async () => {
    const glossary = new DictionaryAdapter({ name: 'glossary', entries, caseSensitive: true });
    expect(await glossary.search('bm25', { k: 10 })).toEqual([]);
    expect((await glossary.search('BM25', { k: 10 })).map((f) => f.id)).toEqual(['BM25']);
  });

  it('keeps k, filters on metadata, and returns nothing for an empty dictionary', async () => {
    const glossary = new DictionaryAdapter({ name: 'glossary', entries });
    expect((await glossary.search('vector search bm25', { k: 1 })).map((f) => f.id)).toEqual(['vector search']);
    expect((await glossary.search('vector search bm25', { k: 10, filters: { topic: 'general' } })).map((f) => f.id)).toEqual(['search']);
    const empty = new DictionaryAdapter({ name: 'empty', entries: {} });
    expect(empty.size).toBe(0);
    expect(await empty.search('anything', { k: 3 })).toEqual([]);
  });

  it('matches keys outside ASCII, across normalisation forms', async () => {
    const glossary = new DictionaryAdapter({ name: 'g', entries: { café: 'Coffee.', 'Straße': 'Street.' } });
    expect((await glossary.search('Ein CAFE\u0301 an der straße', { k: 5 })).map((f) => f.id)).toEqual(['Straße', 'café']);
  });

  it('returns copies of entry metadata', async () => {
    const glossary = new DictionaryAdapter({ name: 'g', entries: { kit: { content: 'x', metadata: { tags: ['a'] } } } });
    const [first] = await glossary.search('kit', { k: 1 });
    (first!.metadata['tags'] as string[]).push('b');
    expect((await glossary.search('kit', { k: 1 }))[0]!.metadata).toEqual({ tags: ['a'] });
  });

  it('rejects bad entries and options with typed errors, and honours an aborted signal', async () => {
    expect(() => new DictionaryAdapter({ name: 'g', entries: { ' ': 'blank key' } })).toThrow(PromptError);
    expect(() => new DictionaryAdapter({ name: 'g', entries: { k: 5 as unknown as string } })).toThrow(/entries/);
    const glossary = new DictionaryAdapter({ name: 'g', entries });
    const controller = new AbortController();
    controller.abort();
    await expect(glossary.search('bm25', { k: 1, signal: controller.signal })).rejects.toThrow(RagAbortedError);
  });
});
