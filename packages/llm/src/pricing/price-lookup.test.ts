import { describe, expect, it } from 'vitest';
import { findPrice } from './price-lookup.js';
import { DEFAULT_PRICING_TABLE, type ModelPrice } from './pricing-table.js';

const row = (model: string, provider: string, inputPerMTok: number): ModelPrice => ({
  model,
  provider,
  inputPerMTok,
  outputPerMTok: inputPerMTok * 4,
  checkedAt: '2025-01-01',
  source: 'https://example.com/pricing',
});

describe('findPrice: exact and family matching', () => {
  it.each([
    ['gpt-4o-mini', 'gpt-4o-mini'],
    ['gpt-4o', 'gpt-4o'],
    ['gpt-4', 'gpt-4'],
    ['gpt-4.1', 'gpt-4.1'],
    ['gpt-4.1-mini', 'gpt-4.1-mini'],
    ['gpt-5-nano', 'gpt-5-nano'],
    ['o1-mini', 'o1-mini'],
    ['o3-mini', 'o3-mini'],
    ['claude-opus-4-1', 'claude-opus-4-1'],
    ['claude-sonnet-4', 'claude-sonnet-4'],
  ])('%s matches its own row, not a shorter neighbour', (model, expected) => {
    expect(findPrice(model)?.model).toBe(expected);
  });

  it('never prices gpt-4o-mini as gpt-4o or gpt-4', () => {
    const mini = findPrice('gpt-4o-mini-2024-07-18');
    expect(mini?.model).toBe('gpt-4o-mini');
    expect(mini?.inputPerMTok).toBe(0.15);
    // With the mini row missing from the table it is unknown, not gpt-4o.
    const table = DEFAULT_PRICING_TABLE.filter((r) => r.model !== 'gpt-4o-mini');
    expect(findPrice('gpt-4o-mini', { table })).toBeUndefined();
    expect(findPrice('gpt-4o-mini-2024-07-18', { table })).toBeUndefined();
  });

  it('never prices gpt-4.1 as gpt-4, nor o1-mini as o1', () => {
    const table = DEFAULT_PRICING_TABLE.filter((r) => !['gpt-4.1', 'o1-mini'].includes(r.model));
    expect(findPrice('gpt-4.1', { table })).toBeUndefined();
    expect(findPrice('gpt-4.1-2025-04-14', { table })).toBeUndefined();
    expect(findPrice('o1-mini', { table })).toBeUndefined();
    expect(findPrice('o1', { table })?.model).toBe('o1');
  });

  it('leaves unlisted variants unknown', () => {
    expect(findPrice('gpt-4-32k')).toBeUndefined();
    expect(findPrice('gpt-4-32k-0613')).toBeUndefined();
    expect(findPrice('gpt-3.5-turbo-instruct')).toBeUndefined();
    expect(findPrice('o1-pro')).toBeUndefined();
    expect(findPrice('claude-opus-4-7')).toBeUndefined();
    expect(findPrice('llama3.1:8b')).toBeUndefined();
    expect(findPrice('')).toBeUndefined();
  });

  it('does not treat a fine-tuned model as its base model', () => {
    expect(findPrice('ft:gpt-4o-mini-2024-07-18:my-org::abc123')).toBeUndefined();
  });
});

describe('findPrice: snapshot suffixes', () => {
  it.each([
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gpt-4-0613', 'gpt-4'],
    ['gpt-4-turbo-2024-04-09', 'gpt-4-turbo'],
    ['gpt-3.5-turbo-0125', 'gpt-3.5-turbo'],
    ['o3-mini-2025-01-31', 'o3-mini'],
    ['gpt-5-mini-2025-08-07', 'gpt-5-mini'],
    ['claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
    ['claude-3-5-sonnet-latest', 'claude-3-5-sonnet'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
    ['gpt-4o:latest', 'gpt-4o'],
    ['GPT-4o-Mini', 'gpt-4o-mini'],
  ])('%s → %s', (model, expected) => {
    expect(findPrice(model)?.model).toBe(expected);
  });

  it('prefers a snapshot row whose price differs from its alias', () => {
    expect(findPrice('gpt-4o-2024-05-13')).toMatchObject({ model: 'gpt-4o-2024-05-13', inputPerMTok: 5 });
    expect(findPrice('gpt-3.5-turbo-0613')).toMatchObject({ model: 'gpt-3.5-turbo-0613', inputPerMTok: 1.5 });
  });

  it('takes the longest matching row', () => {
    const table = [row('gpt-x', 'openai', 1), row('gpt-x-2025-01-01', 'openai', 2)];
    expect(findPrice('gpt-x-2025-01-01-latest', { table })?.inputPerMTok).toBe(2);
    expect(findPrice('gpt-x-2025-02-01', { table })?.inputPerMTok).toBe(1);
  });

  it('rejects suffixes that only look like versions', () => {
    const table = [row('gpt-x', 'openai', 1)];
    expect(findPrice('gpt-x-1', { table })).toBeUndefined();
    expect(findPrice('gpt-x-1399', { table })).toBeUndefined();
    expect(findPrice('gpt-x-preview', { table })).toBeUndefined();
    expect(findPrice('gpt-x-2024-07-18-mini', { table })).toBeUndefined();
    expect(findPrice('gpt-xl', { table })).toBeUndefined();
  });
});

describe('findPrice: providers', () => {
  it('accepts provider prefixes', () => {
    expect(findPrice('openai:gpt-4o-mini')?.model).toBe('gpt-4o-mini');
    expect(findPrice('openai/gpt-4o-mini-2024-07-18')?.model).toBe('gpt-4o-mini');
    expect(findPrice('anthropic/claude-sonnet-4-5')?.model).toBe('claude-sonnet-4-5');
    expect(findPrice('openrouter/anthropic/claude-3-5-haiku')?.model).toBe('claude-3-5-haiku');
  });

  it('picks the provider’s row when two rows share an id, and uses a prefix as the hint', () => {
    const table = [row('shared-model', 'alpha', 1), row('shared-model', 'beta', 2)];
    expect(findPrice('shared-model', { table })?.provider).toBe('alpha');
    expect(findPrice('shared-model', { table, provider: 'beta' })?.provider).toBe('beta');
    expect(findPrice('shared-model', { table, provider: 'BETA' })?.provider).toBe('beta');
    expect(findPrice('beta:shared-model', { table })?.provider).toBe('beta');
    // A provider the table does not know (a gateway, a test double) still finds the model.
    expect(findPrice('shared-model', { table, provider: 'gateway' })?.provider).toBe('alpha');
    expect(findPrice('gpt-4o', { provider: 'test' })?.model).toBe('gpt-4o');
  });

  it('rejects a malformed caller table instead of guessing', () => {
    const bad = [{ ...row('m', 'p', 1), inputPerMTok: -1 }];
    expect(() => findPrice('m', { table: bad })).toThrow(/row 0 \(m\): inputPerMTok/);
    const badDate = [{ ...row('m', 'p', 1), checkedAt: 'yesterday' }];
    expect(() => findPrice('m', { table: badDate })).toThrow(/checkedAt/);
  });
});

describe('DEFAULT_PRICING_TABLE', () => {
  it('has well-formed, unique rows', () => {
    // A copy is validated like any caller table.
    expect(() => findPrice('gpt-4o', { table: [...DEFAULT_PRICING_TABLE] })).not.toThrow();
    const ids = DEFAULT_PRICING_TABLE.map((r) => `${r.provider}/${r.model}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of DEFAULT_PRICING_TABLE) {
      expect(r.checkedAt).toMatch(/^20\d{2}-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(r.checkedAt))).toBe(false);
      expect(r.checkedAt < '2026-11-23').toBe(true);
      expect(r.source).toMatch(/^https:\/\//);
      expect(r.inputPerMTok).toBeGreaterThan(0);
      // A cache read never costs more than a plain input token.
      if (r.cachedInputPerMTok !== undefined) expect(r.cachedInputPerMTok).toBeLessThan(r.inputPerMTok);
    }
  });

  it('covers the requested models', () => {
    const required = [
      'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o', 'gpt-4o-mini',
      'o1', 'o3', 'o3-mini', 'o4-mini', 'gpt-4-turbo', 'gpt-4', 'gpt-3.5-turbo', 'text-embedding-3-small',
      'text-embedding-3-large', 'text-embedding-ada-002', 'claude-3-haiku', 'claude-3-opus', 'claude-3-5-haiku',
      'claude-3-5-sonnet', 'claude-3-7-sonnet', 'claude-sonnet-4', 'claude-opus-4', 'claude-opus-4-1',
      'claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-5',
    ];
    const missing = required.filter((model) => findPrice(model)?.model !== model);
    expect(missing).toEqual([]);
  });

  it('cannot be mutated', () => {
    expect(Object.isFrozen(DEFAULT_PRICING_TABLE)).toBe(true);
    expect(Object.isFrozen(DEFAULT_PRICING_TABLE[0])).toBe(true);
  });
});
