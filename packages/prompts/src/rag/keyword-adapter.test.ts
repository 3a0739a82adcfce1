import { describe, expect, it } from 'vitest';
import { PromptError } from '../errors/prompt-error.js';
import { KeywordAdapter } from './keyword-adapter.js';
import { RagAbortedError } from './rag-aborted-error.js';

// The 3-document corpus of the hand computations below: N = 3, lengths 3, 6, 3, avgdl = 4.
const corpus = [
  { id: 'd1', content: 'The cat sat.' },
  { id: 'd2', content: 'The dog sat on the log' },
  { id: 'd3', content: 'Cats and dogs' },
];

describe('KeywordAdapter (BM25)', () => {
  it('matches BM25 scores computed by hand (k1 = 1.2, b = 0.75)', async () => {
    const adapter = new KeywordAdapter({ name: 'kw' });
    adapter.addDocuments(corpus);
    // idf(cat) = ln(1 + (3 - 1 + 0.5) / (1 + 0.5)) = ln(8/3); idf(sat) = ln(1 + 1.5/2.5) = ln(1.6).
    // d1: |D| = 3, length factor 1.2 * (0.25 + 0.75 * 3/4) = 0.975; each term: idf * 2.2 / 1.975.
    // d2: |D| = 6, length factor 1.2 * (0.25 + 0.75 * 6/4) = 1.65; sat: idf * 2.2 / 2.65.
    const results = await adapter.search('cat sat', { k: 10 });
    expect(results.map((r) => r.id)).toEqual(['d1', 'd2']);
    expect(results[0]!.score).toBeCloseTo(((Math.log(8 / 3) + Math.log(1.6)) * 2.2) / 1.975, 12);
    expect(results[0]!.score).toBeCloseTo(1.616117, 5);
    expect(results[1]!.score).toBeCloseTo((Math.log(1.6) * 2.2) / 2.65, 12);
    expect(results[1]!.score).toBeCloseTo(0.390192, 5);
  });

  it('saturates term frequency and normalises by length, by hand', async () => {
    const adapter = new KeywordAdapter({ name: 'kw' });
    adapter.addDocuments(corpus);
    // "the": n = 2, idf = ln(1.6). d1: tf 1 → idf * 2.2 / 1.975. d2: tf 2 → idf * 2 * 2.2 / (2 + 1.65).
    const results = await adapter.search('THE', { k: 10 });
    expect(results.map((r) => r.id)).toEqual(['d2', 'd1']);
    expect(results[0]!.score).toBeCloseTo((Math.log(1.6) * 4.4) / 3.65, 12);
    expect(results[1]!.score).toBeCloseTo((Math.log(1.6) * 2.2) / 1.975, 12);
  });

  it('uses the Lucene IDF, so a word found in every document still scores above zero', async () => {
    const adapter = new KeywordAdapter({ name: 'kw' });
    adapter.addDocuments([
      { id: 'a', content: 'kit one' },
      { id: 'b', content: 'kit two' },
      { id: 'c', content: 'kit three' },
    ]);
    const results = await adapter.search('kit', { k: 3 });
    // idf = ln(1 + 0.5/3.5) > 0; equal scores are ordered by id.
    expect(results.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    for (const r of results) expect(r.score).toBeCloseTo(Math.log(1 + 0.5 / 3.5), 12);
  });

  it('honours custom k1 and b', async () => {
    const adapter = new KeywordAdapter({ name: 'kw', k1: 2, b: 0 });
    adapter.addDocuments(corpus);
    // b = 0: no length normalisation; d2 has tf 2 for "the": idf * 2 * 3 / (2 + 2).
    const [top] = await adapter.search('the', { k: 1 });
    expect(top!.score).toBeCloseTo((Math.log(1.6) * 6) / 4, 12);
  });

  it('counts each distinct query word once, ignores stop words and returns only documents sharing a word', async () => {
    const adapter = new KeywordAdapter({ name: 'kw', stopWords: ['The', 'on'] });
    adapter.addDocuments(corpus);
    expect(adapter.documentFrequency('the')).toBe(0);
    expect(adapter.documentFrequency('SAT')).toBe(2);
    const once = await adapter.search('cat', { k: 5 });
    const twice = await adapter.search('cat cat CAT', { k: 5 });
    expect(twice).toEqual(once);
    expect(await adapter.search('the on', { k: 5 })).toEqual([]);
    expect(await adapter.search('giraffe', { k: 5 })).toEqual([]);
    // Stop words leave document lengths: d1 = 2 words, d2 = 3, d3 = 3, avgdl = 8/3.
    const [d1] = await adapter.search('cat', { k: 1 });
    expect(d1!.score).toBeCloseTo((Math.log(8 / 3) * 2.2) / (1 + 1.2 * (0.25 + (0.75 * 2) / (8 / 3))), 12);
    const [d2] = await adapter.search('log', { k: 1 });
    expect(d2!.score).toBeCloseTo((Math.log(8 / 3) * 2.2) / (1 + 1.2 * (0.25 + (0.75 * 3) / (8 / 3))), 12);
  });

  it('keeps k, filters on metadata, and returns copies', async () => {
    const adapter = new KeywordAdapter({ name: 'kw' });
    adapter.addDocuments([
      { id: 'a', content: 'reset password', metadata: { lang: 'en', product: { name: 'kit' } } },
      { id: 'b', content: 'reset password now', metadata: { lang: 'de' } },
      { id: 'c', content: 'password', metadata: { lang: 'en' } },
    ]);
    expect((await adapter.search('reset password', { k: 2 })).map((r) => r.id)).toEqual(['a', 'b']);
    expect((await adapter.search('reset password', { k: 5, filters: { lang: 'en' } })).map((r) => r.id)).toEqual(['a', 'c']);
    const [first] = await adapter.search('reset', { k: 1 });
    (first!.metadata['product'] as { name: string }).name = 'changed';
    first!.metadata['lang'] = 'xx';
    expect((await adapter.search('reset', { k: 1 }))[0]!.metadata).toEqual({ lang: 'en', product: { name: 'kit' } });
  });

  it('keeps document frequencies and lengths right across additions, replacements and removals', async () => {
    const incremental = new KeywordAdapter({ name: 'kw' });
    incremental.addDocuments([{ id: 'd1', content: 'The cat sat.' }]);
    incremental.addDocuments([{ id: 'x', content: 'cat cat cat dog' }]);
    incremental.addDocuments([{ id: 'd2', content: 'placeholder text' }]);
    incremental.addDocuments([
      { id: 'd2', content: 'The dog sat on the log' },
      { id: 'd3', content: 'Cats and dogs' },
    ]);
    expect(incremental.removeDocuments(['x', 'nope'])).toBe(1);
    expect(incremental.size).toBe(3);
    expect(incremental.documentFrequency('cat')).toBe(1);
    expect(incremental.documentFrequency('placeholder')).toBe(0);
    const fresh = new KeywordAdapter({ name: 'kw' });
    fresh.addDocuments(corpus);
    for (const query of ['cat sat', 'the', 'dog log', 'cats']) {
      expect(await incremental.search(query, { k: 5 })).toEqual(await fresh.search(query, { k: 5 }));
    }
    incremental.removeDocuments(['d1', 'd2', 'd3']);
    expect(incremental.size).toBe(0);
    expect(await incremental.search('cat', { k: 5 })).toEqual([]);
  });

  it('returns nothing from an empty index or a query without words', async () => {
    const adapter = new KeywordAdapter({ name: 'kw' });
    expect(await adapter.search('anything', { k: 3 })).toEqual([]);
    adapter.addDocuments(corpus);
    expect(await adapter.search('', { k: 3 })).toEqual([]);
    expect(await adapter.search('{{ }} (( )) {% %}', { k: 3 })).toEqual([]);
  });

  it('matches words across scripts and normalisation forms', async () => {
    const adapter = new KeywordAdapter({ name: 'kw' });
    adapter.addDocuments([
      { id: 'fr', content: 'Un café au lait' },
      { id: 'ru', content: 'Привет мир' },
    ]);
    expect((await adapter.search('CAFE\u0301', { k: 1 }))[0]!.id).toBe('fr');
    expect((await adapter.search('мир', { k: 1 }))[0]!.id).toBe('ru');
  });

  it('rejects bad options, documents and searches with typed errors, and honours an aborted signal', async () => {
    expect(() => new KeywordAdapter({ name: 'kw', b: 2 })).toThrow(PromptError);
    expect(() => new KeywordAdapter({ name: 'kw', k1: -1 })).toThrow(/k1/);
    const adapter = new KeywordAdapter({ name: 'kw' });
    expect(() => adapter.addDocuments([{ id: 'a', content: 3 as unknown as string }])).toThrow(PromptError);
    await expect(adapter.search('x', { k: 1.5 })).rejects.toThrow(PromptError);
    const controller = new AbortController();
    controller.abort();
    await expect(adapter.search('x', { k: 1, signal: controller.signal })).rejects.toThrow(RagAbortedError);
  });
});
