import { createLanguageModel, type LanguageModel } from '@kit/llm';
import { deterministicEmbedding, echoModel } from '@kit/llm/testing';
import { describe, expect, it } from 'vitest';
import { PromptError, RagError } from '../errors/prompt-error.js';
import { EmbeddingCache } from './embedding-cache.js';
import { InMemoryVectorAdapter } from './in-memory-vector-adapter.js';
import { RagAbortedError } from './rag-aborted-error.js';

interface FakeModel extends LanguageModel {
  /** The values of every `doEmbed` call, in order. */
  calls: string[][];
}

/** A model whose embeddings are chosen per text, for exact cosine outcomes. */
function vectorModel(vectors: Record<string, number[]>, options: { delayMs?: number; modelId?: string; inFlight?: { now: number; max: number } } = {}): FakeModel {
  const calls: string[][] = [];
  const model = createLanguageModel({
    provider: 'fake',
    modelId: options.modelId ?? 'vectors',
    capabilities: { embeddings: true },
    async doComplete() {
      throw new Error('this fake model only embeds');
    },
    async doEmbed(values) {
      calls.push([...values]);
      const counter = options.inFlight;
      if (counter !== undefined) counter.max = Math.max(counter.max, ++counter.now);
      if (options.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      if (counter !== undefined) counter.now--;
      return {
        embeddings: values.map((v) => {
          const vector = vectors[v];
          if (vector === undefined) throw new Error(`no vector chosen for "${v}"`);
          return vector;
        }),
      };
    },
  });
  return Object.assign(model, { calls });
}

const axes = {
  east: [1, 0],
  north: [0, 1],
  northeast: [1, 1],
  'mostly east': [3, 1],
  west: [-1, 0],
  zero: [0, 0],
};

describe('InMemoryVectorAdapter', () => {
  it('ranks by cosine similarity, keeps k, and breaks ties by id', async () => {
    const adapter = new InMemoryVectorAdapter({ name: 'vec', model: vectorModel(axes) });
    await adapter.addDocuments([
      { id: 'n', content: 'north' },
      { id: 'w', content: 'west' },
      { id: 'e', content: 'east' },
      { id: 'ne', content: 'northeast' },
      { id: 'e2', content: 'east' },
    ]);
    expect(adapter.size).toBe(5);
    expect(adapter.vectorLength).toBe(2);
    const results = await adapter.search('mostly east', { k: 10 });
    expect(results.map((r) => r.id)).toEqual(['e', 'e2', 'ne', 'n', 'w']);
    const norm = Math.sqrt(10);
    expect(results[0]!.score).toBeCloseTo(3 / norm, 12);
    expect(results[2]!.score).toBeCloseTo(4 / (norm * Math.SQRT2), 12);
    expect(results[3]!.score).toBeCloseTo(1 / norm, 12);
    expect(results[4]!.score).toBeCloseTo(-3 / norm, 12);
    expect((await adapter.search('mostly east', { k: 2 })).map((r) => r.id)).toEqual(['e', 'e2']);
    expect(results[0]).toEqual({ id: 'e', content: 'east', score: results[0]!.score, metadata: {} });
  });

  it('scores a zero vector 0 instead of NaN', async () => {
    const adapter = new InMemoryVectorAdapter({ name: 'vec', model: vectorModel(axes) });
    await adapter.addDocuments([
      { id: 'z', content: 'zero' },
      { id: 'e', content: 'east' },
    ]);
    expect((await adapter.search('east', { k: 2 })).map((r) => [r.id, r.score])).toEqual([
      ['e', 1],
      ['z', 0],
    ]);
    expect((await adapter.search('zero', { k: 2 })).map((r) => r.score)).toEqual([0, 0]);
  });

  it('filters on metadata before ranking and returns copies of the metadata', async () => {
    const adapter = new InMemoryVectorAdapter({ name: 'vec', model: vectorModel(axes) });
    await adapter.addDocuments([
      { id: 'e', content: 'east', metadata: { lang: 'en', tags: { x: 1 } } },
      { id: 'ne', content: 'northeast', metadata: { lang: 'de' } },
      { id: 'n', content: 'north', metadata: { lang: 'fr' } },
      { id: 'w', content: 'west' },
    ]);
    const found = await adapter.search('east', { k: 5, filters: { lang: ['de', 'fr'] } });
    expect(found.map((r) => r.id)).toEqual(['ne', 'n']);
    const [first] = await adapter.search('east', { k: 1, filters: { lang: 'en' } });
    (first!.metadata['tags'] as { x: number }).x = 2;
    const [again] = await adapter.search('east', { k: 1, filters: { lang: 'en' } });
    expect(again!.metadata).toEqual({ lang: 'en', tags: { x: 1 } });
  });

  it('returns nothing, without an embedding call, for an empty corpus or when no document passes the filters', async () => {
    const model = vectorModel(axes);
    const adapter = new InMemoryVectorAdapter({ name: 'vec', model });
    expect(await adapter.search('east', { k: 3 })).toEqual([]);
    await adapter.addDocuments([{ id: 'e', content: 'east', metadata: { lang: 'en' } }]);
    expect(await adapter.search('east', { k: 3, filters: { lang: 'de' } })).toEqual([]);
    expect(model.calls).toEqual([['east']]);
  });

  it('removes documents, replaces a document re-added under its id, and accepts a new vector length once empty', async () => {
    const adapter = new InMemoryVectorAdapter({ name: 'vec', model: vectorModel({ ...axes, three: [1, 2, 3] }) });
    await adapter.addDocuments([
      { id: 'a', content: 'east' },
      { id: 'b', content: 'north' },
    ]);
    expect(adapter.removeDocuments(['a', 'missing'])).toBe(1);
    expect((await adapter.search('east', { k: 5 })).map((r) => r.id)).toEqual(['b']);
    await adapter.addDocuments([{ id: 'b', content: 'east' }]);
    expect(adapter.size).toBe(1);
    expect((await adapter.search('east', { k: 5 }))[0]).toMatchObject({ id: 'b', content: 'east', score: 1 });
    expect(adapter.removeDocuments(['b'])).toBe(1);
    expect(adapter.vectorLength).toBeUndefined();
    await adapter.addDocuments([{ id: 'c', content: 'three' }]);
    expect(adapter.vectorLength).toBe(3);
  });

  it('embeds in batches of batchSize, one embed call per batch, with bounded concurrency', async () => {
    const texts = Array.from({ length: 10 }, (_, i) => `doc ${i}`);
    const inFlight = { now: 0, max: 0 };
    const model = vectorModel(Object.fromEntries(texts.map((t, i) => [t, [1, i]])), { delayMs: 10, inFlight });
    const adapter = new InMemoryVectorAdapter({ name: 'vec', model, batchSize: 3, concurrency: 2 });
    await adapter.addDocuments(texts.map((content, i) => ({ id: `d${i}`, content })));
    expect(model.calls.map((c) => c.length)).toEqual([3, 3, 3, 1]);
    expect(model.calls.flat().sort()).toEqual([...texts].sort());
    expect(inFlight.max).toBe(2);
    expect(adapter.size).toBe(10);
  });

  it('embeds each distinct text once per call', async () => {
    const model = vectorModel(axes);
    const adapter = new InMemoryVectorAdapter({ name: 'vec', model });
    await adapter.addDocuments([
      { id: 'a', content: 'east' },
      { id: 'b', content: 'east' },
      { id: 'c', content: 'north' },
    ]);
    expect(model.calls).toEqual([['east', 'north']]);
  });

  it('shares an embedding cache between adapters on the same model, and not across models', async () => {
    const cache = new EmbeddingCache();
    const model = echoModel();
    const docs = [
      { id: 'a', content: 'Kit renders prompt templates' },
      { id: 'b', content: 'BM25 ranks keyword matches' },
      { id: 'c', content: 'Vectors capture meaning' },
    ];
    const first = new InMemoryVectorAdapter({ name: 'one', model, embeddingCache: cache });
    const second = new InMemoryVectorAdapter({ name: 'two', model, embeddingCache: cache });
    await first.addDocuments(docs);
    expect([cache.hits, cache.misses]).toEqual([0, 3]);
    await second.addDocuments(docs);
    expect([cache.hits, cache.misses]).toEqual([3, 3]);
    await first.search('prompt templates', { k: 1 });
    await second.search('prompt templates', { k: 1 });
    expect([cache.hits, cache.misses]).toEqual([4, 4]);

    const other = vectorModel({ 'Kit renders prompt templates': [1, 0] }, { modelId: 'other' });
    const third = new InMemoryVectorAdapter({ name: 'three', model: other, embeddingCache: cache });
    await third.addDocuments([docs[0]!]);
    expect(other.calls).toHaveLength(1);
    expect(cache.misses).toBe(5);
  });

  it('ranks deterministic embeddings of related texts above unrelated ones', async () => {
    const adapter = new InMemoryVectorAdapter({ name: 'vec', model: echoModel() });
    await adapter.addDocuments([
      { id: 'bm25', content: 'BM25 ranks keyword matches by term frequency' },
      { id: 'cats', content: 'Cats sleep most of the afternoon' },
      { id: 'vectors', content: 'Cosine similarity of embedding vectors' },
    ]);
    const [best] = await adapter.search('keyword matches ranks', { k: 1 });
    expect(best!.id).toBe('bm25');
    const direct = deterministicEmbedding('keyword matches ranks');
    const doc = deterministicEmbedding('BM25 ranks keyword matches by term frequency');
    expect(best!.score).toBeCloseTo(
      direct.reduce((sum, v, i) => sum + v * doc[i]!, 0),
      10,
    );
  });

  it('reports a dimension mismatch as a RagError, not NaN scores, and indexes nothing from a failed call', async () => {
    const adapter = new InMemoryVectorAdapter({ name: 'vec', model: vectorModel({ ...axes, three: [1, 2, 3] }) });
    await adapter.addDocuments([{ id: 'e', content: 'east' }]);
    await expect(adapter.addDocuments([{ id: 't', content: 'three' }])).rejects.toThrow(RagError);
    await expect(
      adapter.addDocuments([
        { id: 'n', content: 'north' },
        { id: 't', content: 'three' },
      ]),
    ).rejects.toThrow(/document "t" has 3 dimensions, expected 2/);
    expect(adapter.size).toBe(1);
    const error = await adapter.search('three', { k: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RagError);
    expect(error).toMatchObject({ code: 'rag-adapter', adapter: 'vec' });
  });

  it('rejects invalid embeddings from the model as a RagError', async () => {
    const adapter = new InMemoryVectorAdapter({ name: 'vec', model: vectorModel({ bad: [1, Number.NaN], empty: [] }) });
    await expect(adapter.addDocuments([{ id: 'b', content: 'bad' }])).rejects.toThrow(/finite numbers/);
    await expect(adapter.addDocuments([{ id: 'e', content: 'empty' }])).rejects.toThrow(RagError);
    const short: Pick<LanguageModel, 'provider' | 'modelId' | 'embed'> = {
      provider: 'x',
      modelId: 'y',
      embed: async () => ({ embeddings: [], usage: { inputTokens: 0 }, provider: 'x', model: 'y' }),
    };
    await expect(new InMemoryVectorAdapter({ name: 'v', model: short }).addDocuments([{ id: 'a', content: 'a' }])).rejects.toThrow(
      /returned 0 embeddings for 1 texts/,
    );
  });

  it('passes model failures through and stops the remaining batches', async () => {
    const model = vectorModel({ a: [1, 0], b: [0, 1] });
    const adapter = new InMemoryVectorAdapter({ name: 'vec', model, batchSize: 1, concurrency: 1 });
    await expect(
      adapter.addDocuments([
        { id: '1', content: 'a' },
        { id: '2', content: 'unknown' },
        { id: '3', content: 'b' },
      ]),
    ).rejects.toThrow(/no vector chosen for "unknown"/);
    expect(model.calls).toEqual([['a'], ['unknown']]);
    expect(adapter.size).toBe(0);
  });

  it('rejects with RagAbortedError when aborted before or during embedding', async () => {
    const model = vectorModel(axes, { delayMs: 200 });
    const adapter = new InMemoryVectorAdapter({ name: 'vec', model });
    const controller = new AbortController();
    controller.abort();
    await expect(adapter.addDocuments([{ id: 'e', content: 'east' }], { signal: controller.signal })).rejects.toThrow(RagAbortedError);
    expect(model.calls).toEqual([]);

    const during = new AbortController();
    const started = performance.now();
    const pending = adapter.addDocuments([{ id: 'e', content: 'east' }], { signal: during.signal });
    setTimeout(() => during.abort(new Error('user left')), 20);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RagAbortedError);
    expect((error as RagAbortedError).name).toBe('AbortError');
    expect((error as RagAbortedError).cause).toEqual(new Error('user left'));
    expect(performance.now() - started).toBeLessThan(150);
    expect(adapter.size).toBe(0);
  });

  it('aborts a search while its query is embedded', async () => {
    const fast = vectorModel(axes);
    const cache = new EmbeddingCache();
    const adapter = new InMemoryVectorAdapter({ name: 'vec', model: fast, embeddingCache: cache });
    await adapter.addDocuments([{ id: 'e', content: 'east' }]);
    const slow = new InMemoryVectorAdapter({ name: 'slow', model: vectorModel(axes, { delayMs: 200 }), embeddingCache: cache });
    await slow.addDocuments([{ id: 'e', content: 'east' }]); // from the cache, no wait
    const controller = new AbortController();
    const pending = slow.search('north', { k: 1, signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toThrow(RagAbortedError);
    await expect(slow.search('east', { k: 1, signal: controller.signal })).rejects.toThrow(RagAbortedError);
  });

  it('rejects invalid options, documents and search arguments with typed errors', async () => {
    const model = vectorModel(axes);
    expect(() => new InMemoryVectorAdapter({ name: '', model })).toThrow(PromptError);
    expect(() => new InMemoryVectorAdapter({ name: 'v', model, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => new InMemoryVectorAdapter({ name: 'v', model: {} as LanguageModel })).toThrow(/model/);
    const adapter = new InMemoryVectorAdapter({ name: 'v', model });
    await expect(adapter.addDocuments([{ id: '', content: 'east' }])).rejects.toThrow(PromptError);
    await expect(adapter.search('east', { k: 0 })).rejects.toThrow(/invalid search on RAG adapter "v"/);
    await expect(adapter.search(42 as unknown as string, { k: 1 })).rejects.toThrow(PromptError);
  });
});
