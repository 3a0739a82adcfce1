import { describe, expect, it } from 'vitest';
import type { Usage } from '../types/response.js';
import { computeCost, costFor, sumUsd, usdToPico, picoToUsd } from './cost.js';
import type { ModelPrice } from './pricing-table.js';

const usage = (u: Partial<Usage> & { inputTokens: number; outputTokens: number }): Usage => ({
  totalTokens: u.inputTokens + u.outputTokens,
  ...u,
});

const price: ModelPrice = {
  model: 'priced',
  provider: 'p',
  inputPerMTok: 2,
  cachedInputPerMTok: 0.5,
  cacheWritePerMTok: 2.5,
  outputPerMTok: 8,
  reasoningPerMTok: 12,
  checkedAt: '2025-04-14',
  source: 'https://example.com/pricing',
};

describe('computeCost', () => {
  it('bills input and output at their prices', () => {
    const cost = computeCost(usage({ inputTokens: 1_000_000, outputTokens: 500_000 }), price);
    expect(cost).toEqual({
      known: true,
      usd: 6,
      breakdown: { input: 2, cachedInput: 0, cacheWrite: 0, output: 4, reasoning: 0 },
      model: 'priced',
      checkedAt: '2025-04-14',
      source: 'https://example.com/pricing',
    });
  });

  it('bills cached, cache-write and reasoning tokens as parts of input and output', () => {
    const cost = computeCost(
      usage({
        inputTokens: 10_000,
        cachedInputTokens: 6_000,
        cacheWriteInputTokens: 1_000,
        outputTokens: 2_000,
        reasoningTokens: 1_500,
      }),
      price,
    );
    // 3000 plain input x $2/M, 6000 cached x $0.5/M, 1000 written x $2.5/M,
    // 500 plain output x $8/M, 1500 reasoning x $12/M.
    expect(cost.breakdown).toEqual({ input: 0.006, cachedInput: 0.003, cacheWrite: 0.0025, output: 0.004, reasoning: 0.018 });
    expect(cost.usd).toBe(0.0335);
  });

  it('falls back to the input price for cache tokens and to the output price for reasoning', () => {
    const plain: ModelPrice = { ...price, cachedInputPerMTok: undefined, cacheWritePerMTok: undefined, reasoningPerMTok: undefined };
    const cost = computeCost(
      usage({ inputTokens: 1000, cachedInputTokens: 400, cacheWriteInputTokens: 100, outputTokens: 1000, reasoningTokens: 600 }),
      plain,
    );
    expect(cost.breakdown).toEqual({ input: 0.001, cachedInput: 0.0008, cacheWrite: 0.0002, output: 0.0032, reasoning: 0.0048 });
    expect(cost.usd).toBe(0.01);
  });

  it('caps parts at their whole instead of billing a token twice', () => {
    const cost = computeCost(
      usage({ inputTokens: 100, cachedInputTokens: 150, cacheWriteInputTokens: 50, outputTokens: 10, reasoningTokens: 20 }),
      price,
    );
    expect(cost.breakdown).toEqual({ input: 0, cachedInput: 0.00005, cacheWrite: 0, output: 0, reasoning: 0.00012 });
  });

  it('prices gpt-4o-mini with cached and reasoning tokens from the default table', () => {
    const cost = costFor('gpt-4o-mini-2024-07-18', usage({ inputTokens: 2000, cachedInputTokens: 1000, outputTokens: 100 }));
    // 1000 x 0.15 + 1000 x 0.075 + 100 x 0.60, per million.
    expect(cost).toMatchObject({ known: true, model: 'gpt-4o-mini', checkedAt: '2024-10-01' });
    expect(cost.known && cost.usd).toBe(0.000285);
    const o3 = costFor('o3', usage({ inputTokens: 0, outputTokens: 1000, reasoningTokens: 800 }));
    expect(o3.known && o3.breakdown).toMatchObject({ output: 0.0016, reasoning: 0.0064 });
  });

  it('prices Anthropic cache writes', () => {
    const cost = costFor('claude-sonnet-4-5-20250929', usage({ inputTokens: 3000, cacheWriteInputTokens: 2000, cachedInputTokens: 0, outputTokens: 0 }));
    expect(cost.known && cost.breakdown).toMatchObject({ input: 0.003, cacheWrite: 0.0075 });
  });
});

describe('costFor: unknown and local', () => {
  it('reports an unknown model as unknown, never as zero', () => {
    const cost = costFor('gpt-4-32k', usage({ inputTokens: 1000, outputTokens: 1000 }));
    expect(cost).toEqual({ known: false, model: 'gpt-4-32k', reason: 'unknown-model' });
    expect('usd' in cost).toBe(false);
  });

  it('bills a local provider at zero, as known', () => {
    const cost = costFor('llama3.1:8b', usage({ inputTokens: 1000, outputTokens: 1000 }), { provider: 'Ollama' });
    expect(cost).toEqual({
      known: true,
      usd: 0,
      breakdown: { input: 0, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0 },
      model: 'llama3.1:8b',
      reason: 'local',
    });
    const custom = costFor('gpt-4o', usage({ inputTokens: 1000, outputTokens: 0 }), { provider: 'vllm', localProviders: ['vllm'] });
    expect(custom).toMatchObject({ known: true, usd: 0, reason: 'local' });
    expect(costFor('gpt-4o', usage({ inputTokens: 1000, outputTokens: 0 }), { provider: 'ollama', localProviders: [] })).toMatchObject({
      known: true,
      usd: 0.0025,
    });
  });

  it('uses a caller table', () => {
    const table = [{ ...price, model: 'my-model' }];
    expect(costFor('my-model', usage({ inputTokens: 1_000_000, outputTokens: 0 }), { table })).toMatchObject({ known: true, usd: 2 });
    expect(costFor('gpt-4o', usage({ inputTokens: 1, outputTokens: 0 }), { table }).known).toBe(false);
  });
});

describe('money without drift', () => {
  it('sums 1000 small costs exactly', () => {
    // 7 input + 3 output tokens of gpt-4o-mini: 7 x 0.15e-6 + 3 x 0.6e-6 = $0.00000285 per call.
    const one = costFor('gpt-4o-mini', usage({ inputTokens: 7, outputTokens: 3 }));
    expect(one.known && one.usd).toBe(0.00000285);
    const costs = Array.from({ length: 1000 }, () => (one.known ? one.usd : Number.NaN));
    const naive = costs.reduce((a, b) => a + b, 0);
    expect(naive).not.toBe(0.00285); // the drift this guards against
    expect(sumUsd(costs)).toBe(0.00285);
    expect(Math.abs(sumUsd(costs) - 0.00285)).toBeLessThan(1e-9);
  });

  it('round-trips dollars and picodollars', () => {
    expect(usdToPico(0.000285)).toBe(285_000_000n);
    expect(picoToUsd(285_000_000n)).toBe(0.000285);
    expect(sumUsd([0.1, 0.2])).toBe(0.3);
  });
});
