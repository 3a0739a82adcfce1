import { describe, expect, it, vi } from 'vitest';
import type { ModelPrice } from '../pricing/pricing-table.js';
import type { Usage } from '../types/response.js';
import { CostLedger, type LedgerEntry } from './cost-ledger.js';

const usage = (inputTokens: number, outputTokens: number, extra: Partial<Usage> = {}): Usage => ({
  inputTokens,
  outputTokens,
  totalTokens: inputTokens + outputTokens,
  ...extra,
});

describe('CostLedger.record', () => {
  it('prices an entry from the table and keeps its keys', () => {
    const ledger = new CostLedger();
    const entry = ledger.record({
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      keys: { conversation: 'c1', variant: 'A' },
      usage: usage(1000, 100),
    });
    expect(entry).toMatchObject({
      seq: 1,
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      keys: { conversation: 'c1', variant: 'A' },
      partial: false,
      cost: { known: true, model: 'gpt-4o-mini', usd: 0.00021 },
    });
    expect(entry.time).toBeInstanceOf(Date);
    expect(ledger.entries()).toEqual([entry]);
  });

  it('copies keys and usage, so later changes by the caller do not rewrite history', () => {
    const ledger = new CostLedger();
    const keys: Record<string, string> = { user: 'u1' };
    const u = usage(10, 5);
    ledger.record({ provider: 'openai', model: 'gpt-4o', keys, usage: u });
    keys.user = 'u2';
    u.inputTokens = 999;
    expect(ledger.entries()[0]).toMatchObject({ keys: { user: 'u1' }, usage: { inputTokens: 10 } });
  });

  it('keeps a given cost, uses its pricing override, and treats missing usage as unknown', () => {
    const pricing: ModelPrice[] = [
      { model: 'house-model', provider: 'house', inputPerMTok: 1, outputPerMTok: 2, checkedAt: '2025-01-01', source: 'https://example.com' },
    ];
    const ledger = new CostLedger({ pricing });
    expect(ledger.record({ provider: 'house', model: 'house-model', usage: usage(1_000_000, 0) }).cost).toMatchObject({ known: true, usd: 1 });
    // The override replaces the default table: gpt-4o is unknown here.
    expect(ledger.record({ provider: 'openai', model: 'gpt-4o', usage: usage(1, 1) }).cost).toEqual({
      known: false,
      model: 'gpt-4o',
      reason: 'unknown-model',
    });
    const given = ledger.record({ provider: 'x', model: 'y', usage: usage(1, 1), cost: { known: true, usd: 0.5, model: 'y', breakdown: { input: 0.5, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0 } } });
    expect(given.cost).toMatchObject({ usd: 0.5 });
    expect(ledger.record({ provider: 'house', model: 'house-model' }).cost).toEqual({ known: false, model: 'house-model', reason: 'no-usage' });
    expect(ledger.record({ provider: 'ollama', model: 'llama3' }).cost).toMatchObject({ known: true, usd: 0, reason: 'local' });
  });
});

describe('CostLedger.totals', () => {
  it('sums usage and known costs, and counts what it could not price', () => {
    const ledger = new CostLedger();
    ledger.record({ provider: 'openai', model: 'gpt-4o', usage: usage(1000, 100, { cachedInputTokens: 400 }) });
    ledger.record({ provider: 'openai', model: 'gpt-4o', usage: usage(2000, 200, { reasoningTokens: 50 }) });
    ledger.record({ provider: 'acme', model: 'mystery-1', usage: usage(500, 50) });
    ledger.record({ provider: 'acme', model: 'mystery-1', usage: usage(500, 50) });
    ledger.record({ provider: 'acme', model: 'another', usage: usage(1, 1) });
    ledger.record({ provider: 'openai', model: 'gpt-4o', partial: true });

    const totals = ledger.totals();
    expect(totals).toEqual({
      calls: 6,
      usage: { inputTokens: 4001, outputTokens: 401, totalTokens: 4402, cachedInputTokens: 400, reasoningTokens: 50 },
      // gpt-4o: (600 x 2.5 + 400 x 1.25 + 100 x 10) + (2000 x 2.5 + 200 x 10), per million.
      usd: 0.01,
      unpricedCalls: 4,
      unpricedModels: ['another', 'mystery-1'],
      partialCalls: 1,
    });
  });

  it('reports unknown as unknown: a ledger of unpriced calls totals $0 with every call flagged', () => {
    const ledger = new CostLedger();
    ledger.record({ provider: 'acme', model: 'mystery-1', usage: usage(500, 50) });
    expect(ledger.totals()).toMatchObject({ calls: 1, usd: 0, unpricedCalls: 1, unpricedModels: ['mystery-1'] });
  });

  it('sums 1000 small calls without drift', () => {
    const ledger = new CostLedger();
    for (let i = 0; i < 1000; i++) ledger.record({ provider: 'openai', model: 'gpt-4o-mini', usage: usage(7, 3) });
    const { usd, usage: summed } = ledger.totals();
    expect(usd).toBe(0.00285);
    expect(Math.abs(usd - 0.00285)).toBeLessThan(1e-9);
    expect(summed).toEqual({ inputTokens: 7000, outputTokens: 3000, totalTokens: 10000 });
  });

  it('filters by keys, provider, model, time and partial, or by a predicate', () => {
    const ledger = new CostLedger();
    const t0 = new Date('2025-06-01T00:00:00Z');
    const t1 = new Date('2025-06-02T00:00:00Z');
    ledger.record({ provider: 'openai', model: 'gpt-4o', keys: { user: 'u1', variant: 'A' }, usage: usage(100, 0), time: t0 });
    ledger.record({ provider: 'openai', model: 'gpt-4o-mini', keys: { user: 'u2', variant: 'A' }, usage: usage(200, 0), time: t1 });
    ledger.record({ provider: 'anthropic', model: 'claude-3-5-haiku', keys: { user: 'u1', variant: 'B' }, usage: usage(300, 0), time: t1, partial: true });

    const inputOf = (filter: Parameters<CostLedger['totals']>[0]) => ledger.totals(filter).usage.inputTokens;
    expect(inputOf({ keys: { user: 'u1' } })).toBe(400);
    expect(inputOf({ keys: { user: 'u1', variant: 'A' } })).toBe(100);
    expect(inputOf({ keys: { user: 'nobody' } })).toBe(0);
    expect(inputOf({ provider: 'openai' })).toBe(300);
    expect(inputOf({ model: 'gpt-4o' })).toBe(100);
    expect(inputOf({ since: t1 })).toBe(500);
    expect(inputOf({ until: t1 })).toBe(100);
    expect(inputOf({ partial: true })).toBe(300);
    expect(inputOf((e) => e.usage !== undefined && e.usage.inputTokens > 150)).toBe(500);
    expect(ledger.entries({ keys: { variant: 'B' } }).map((e) => e.model)).toEqual(['claude-3-5-haiku']);
  });
});

describe('CostLedger.totalsBy', () => {
  it('groups by a key, with entries lacking it under undefined', () => {
    const ledger = new CostLedger();
    ledger.record({ provider: 'openai', model: 'gpt-4o-mini', keys: { variant: 'A', conversation: 'c1' }, usage: usage(1_000_000, 0) });
    ledger.record({ provider: 'openai', model: 'gpt-4o', keys: { variant: 'B', conversation: 'c1' }, usage: usage(1_000_000, 0) });
    ledger.record({ provider: 'openai', model: 'gpt-4o-mini', keys: { variant: 'A', conversation: 'c2' }, usage: usage(1_000_000, 0) });
    ledger.record({ provider: 'acme', model: 'mystery', keys: { variant: 'B' }, usage: usage(10, 0) });
    ledger.record({ provider: 'openai', model: 'gpt-4o-mini', usage: usage(1_000_000, 0) });

    const byVariant = ledger.totalsBy('variant');
    expect([...byVariant.keys()]).toEqual(['A', 'B', undefined]);
    expect(byVariant.get('A')).toMatchObject({ calls: 2, usd: 0.3, unpricedCalls: 0 });
    expect(byVariant.get('B')).toMatchObject({ calls: 2, usd: 2.5, unpricedCalls: 1, unpricedModels: ['mystery'] });
    expect(byVariant.get(undefined)).toMatchObject({ calls: 1, usd: 0.15 });

    const byConversation = ledger.totalsBy('conversation', { provider: 'openai' });
    expect(byConversation.get('c1')).toMatchObject({ calls: 2, usd: 2.65 });
    expect(byConversation.get('c2')).toMatchObject({ calls: 1, usd: 0.15 });
    expect(byConversation.get(undefined)).toMatchObject({ calls: 1 });
  });

  it('keeps values of different types apart', () => {
    const ledger = new CostLedger();
    ledger.record({ provider: 'openai', model: 'gpt-4o', keys: { step: 1 }, usage: usage(1, 0) });
    ledger.record({ provider: 'openai', model: 'gpt-4o', keys: { step: '1' }, usage: usage(1, 0) });
    ledger.record({ provider: 'openai', model: 'gpt-4o', keys: { step: true }, usage: usage(1, 0) });
    expect([...ledger.totalsBy('step').keys()]).toEqual([1, '1', true]);
  });
});

describe('CostLedger.onRecord', () => {
  it('tells listeners about each entry until they unsubscribe', () => {
    const ledger = new CostLedger();
    const seen: LedgerEntry[] = [];
    const stop = ledger.onRecord((entry) => seen.push(entry));
    const first = ledger.record({ provider: 'openai', model: 'gpt-4o', keys: { variant: 'A' }, usage: usage(1, 1) });
    stop();
    ledger.record({ provider: 'openai', model: 'gpt-4o', usage: usage(1, 1) });
    expect(seen).toEqual([first]);
  });

  it('isolates a throwing listener from the call and from other listeners', () => {
    const onListenerError = vi.fn();
    const ledger = new CostLedger({ onListenerError });
    const other = vi.fn();
    ledger.onRecord(() => {
      throw new Error('observer bug');
    });
    ledger.onRecord(other);
    const entry = ledger.record({ provider: 'openai', model: 'gpt-4o', usage: usage(1, 1) });
    expect(other).toHaveBeenCalledWith(entry);
    expect(onListenerError).toHaveBeenCalledWith(expect.objectContaining({ message: 'observer bug' }), entry);
    expect(ledger.totals().calls).toBe(1);
  });
});

describe('CostLedger memory', () => {
  it('keeps at most maxEntries while unfiltered totals still count every call', () => {
    const ledger = new CostLedger({ maxEntries: 3 });
    for (let i = 1; i <= 5000; i++) ledger.record({ provider: 'openai', model: 'gpt-4o-mini', keys: { i }, usage: usage(1, 0) });
    expect(ledger.entries().map((e) => e.keys.i)).toEqual([4998, 4999, 5000]);
    expect(ledger.droppedEntries).toBe(4997);
    expect(ledger.totals()).toMatchObject({ calls: 5000, usage: { inputTokens: 5000 } });
    expect(ledger.totals(() => true).calls).toBe(3);
    expect([...ledger.totalsBy('i').keys()]).toEqual([4998, 4999, 5000]);
  });

  it('rejects a maxEntries below 1, and clear() forgets everything', () => {
    expect(() => new CostLedger({ maxEntries: 0 })).toThrow(RangeError);
    const ledger = new CostLedger({ maxEntries: 2 });
    for (let i = 0; i < 3; i++) ledger.record({ provider: 'openai', model: 'gpt-4o', usage: usage(1, 0) });
    ledger.clear();
    expect(ledger.entries()).toEqual([]);
    expect(ledger.totals()).toMatchObject({ calls: 0, usd: 0, unpricedCalls: 0 });
    expect(ledger.droppedEntries).toBe(0);
  });
});
