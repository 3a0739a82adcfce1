import { describe, expect, it } from 'vitest';
import { createLanguageModel, type ProviderCompletion } from '../create-language-model.js';
import { ProviderError } from '../errors/provider-error.js';
import type { LanguageModel } from '../language-model.js';
import type { CompletionRequest } from '../types/request.js';
import type { ProviderStreamPart, StreamPart } from '../types/stream-part.js';
import { cache } from './cache-middleware.js';
import { costLedger } from './cost-ledger-middleware.js';
import { CostLedger } from './cost-ledger.js';
import { wrapModel } from './wrap-model.js';

const request = (metadata?: CompletionRequest['metadata']): CompletionRequest => ({
  messages: [{ role: 'user', content: 'hello' }],
  ...(metadata === undefined ? {} : { metadata }),
});

const fullStream: ProviderStreamPart[] = [
  { type: 'text-delta', text: 'h' },
  { type: 'text-delta', text: 'i' },
  { type: 'usage', usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 } },
  { type: 'finish', finishReason: 'stop' },
];

function testModel(
  options: {
    provider?: string;
    modelId?: string;
    completion?: Partial<ProviderCompletion>;
    parts?: ProviderStreamPart[];
    /** Throw after yielding this many parts. */
    failAfter?: number;
  } = {},
): LanguageModel {
  const parts = options.parts ?? fullStream;
  return createLanguageModel({
    provider: options.provider ?? 'test',
    modelId: options.modelId ?? 'gpt-4o-mini',
    doComplete: async () => ({ text: 'hi', finishReason: 'stop', usage: { inputTokens: 10, outputTokens: 5 }, ...options.completion }),
    doStream: async function* () {
      for (let i = 0; i < parts.length; i++) {
        if (i === options.failAfter) throw new ProviderError({ kind: 'network', message: 'connection reset' });
        yield parts[i]!;
      }
      if (options.failAfter === parts.length) throw new ProviderError({ kind: 'network', message: 'connection reset' });
    },
  });
}

function setup(options: Parameters<typeof testModel>[0] = {}, keys?: Parameters<typeof costLedger>[1]) {
  const ledger = new CostLedger();
  const model = wrapModel(testModel(options), [costLedger(ledger, keys)]);
  return { ledger, model };
}

// gpt-4o-mini: 10 x $0.15/M + 5 x $0.60/M.
const TEN_IN_FIVE_OUT = 0.0000045;

describe('costLedger middleware: complete', () => {
  it('records one priced entry under the request metadata', async () => {
    const { ledger, model } = setup();
    await model.complete(request({ conversation: 'c1', variant: 'A', turn: 2 }));
    const [entry, ...rest] = ledger.entries();
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      provider: 'test',
      model: 'gpt-4o-mini',
      keys: { conversation: 'c1', variant: 'A', turn: 2 },
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
      cost: { known: true, usd: TEN_IN_FIVE_OUT, model: 'gpt-4o-mini' },
      partial: false,
    });
  });

  it('records with empty keys when there is no metadata, and with custom keys when asked', async () => {
    const plain = setup();
    await plain.model.complete(request());
    expect(plain.ledger.entries()[0]?.keys).toEqual({});

    const custom = setup({}, { keys: (r) => ({ user: String(r.metadata?.user ?? 'anonymous'), source: 'custom' }) });
    await custom.model.complete(request({ user: 'u9', ignored: true }));
    expect(custom.ledger.entries()[0]?.keys).toEqual({ user: 'u9', source: 'custom' });
  });

  it('prices by the model the response names (a dated snapshot)', async () => {
    const { ledger, model } = setup({ modelId: 'gpt-4o', completion: { model: 'gpt-4o-2024-05-13' } });
    await model.complete(request());
    expect(ledger.entries()[0]).toMatchObject({ model: 'gpt-4o-2024-05-13', cost: { known: true, model: 'gpt-4o-2024-05-13', usd: 0.000125 } });
  });

  it('records an unknown model as unpriced, and a local one as free', async () => {
    const unknown = setup({ modelId: 'mystery-7b' });
    await unknown.model.complete(request());
    expect(unknown.ledger.totals()).toMatchObject({ calls: 1, usd: 0, unpricedCalls: 1, unpricedModels: ['mystery-7b'] });

    const local = setup({ provider: 'ollama', modelId: 'llama3.1:8b' });
    await local.model.complete(request());
    expect(local.ledger.entries()[0]?.cost).toMatchObject({ known: true, usd: 0, reason: 'local' });
    expect(local.ledger.totals().unpricedCalls).toBe(0);
  });

  it('records nothing for a failed call', async () => {
    const ledger = new CostLedger();
    const failing = createLanguageModel({
      provider: 'test',
      modelId: 'gpt-4o-mini',
      doComplete: async () => {
        throw new ProviderError({ kind: 'server', message: 'boom', retryable: false });
      },
    });
    await expect(wrapModel(failing, [costLedger(ledger)]).complete(request())).rejects.toThrow('boom');
    expect(ledger.totals().calls).toBe(0);
  });

  it('sums calls by key across a conversation', async () => {
    const { ledger, model } = setup();
    for (const conversation of ['c1', 'c1', 'c2']) await model.complete(request({ conversation }));
    const byConversation = ledger.totalsBy('conversation');
    expect(byConversation.get('c1')).toMatchObject({ calls: 2, usd: 2 * TEN_IN_FIVE_OUT, usage: { inputTokens: 20 } });
    expect(byConversation.get('c2')).toMatchObject({ calls: 1, usd: TEN_IN_FIVE_OUT });
  });
});

describe('costLedger middleware: stream', () => {
  async function drain(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
    const seen: StreamPart[] = [];
    for await (const part of parts) seen.push(part);
    return seen;
  }

  it('records a finished stream once, by the time finish reaches the consumer', async () => {
    const { ledger, model } = setup();
    const callsAtFinish: number[] = [];
    for await (const part of model.stream(request({ variant: 'B' }))) {
      if (part.type === 'finish') callsAtFinish.push(ledger.totals().calls);
    }
    expect(callsAtFinish).toEqual([1]);
    expect(ledger.entries()).toHaveLength(1);
    expect(ledger.entries()[0]).toMatchObject({
      provider: 'test',
      model: 'gpt-4o-mini',
      keys: { variant: 'B' },
      usage: { inputTokens: 10, outputTokens: 5 },
      cost: { known: true, usd: TEN_IN_FIVE_OUT },
      partial: false,
    });
  });

  it('records a consumer that breaks right after finish once, as complete', async () => {
    const { ledger, model } = setup();
    for await (const part of model.stream(request())) if (part.type === 'finish') break;
    expect(ledger.entries()).toHaveLength(1);
    expect(ledger.entries()[0]?.partial).toBe(false);
  });

  it('uses the last usage part when the provider reports usage more than once', async () => {
    const { ledger, model } = setup({
      parts: [
        { type: 'usage', usage: { inputTokens: 10, outputTokens: 0, totalTokens: 10 } },
        { type: 'text-delta', text: 'hi' },
        { type: 'usage', usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 } },
        { type: 'finish', finishReason: 'stop' },
      ],
    });
    await drain(model.stream(request()));
    expect(ledger.entries()[0]?.usage).toEqual({ inputTokens: 10, outputTokens: 5, totalTokens: 15 });
  });

  it('records an abandoned stream with the usage seen so far, flagged partial', async () => {
    const { ledger, model } = setup({
      parts: [
        { type: 'usage', usage: { inputTokens: 10, outputTokens: 0, totalTokens: 10 } },
        { type: 'text-delta', text: 'h' },
        { type: 'text-delta', text: 'i' },
        { type: 'usage', usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 } },
        { type: 'finish', finishReason: 'stop' },
      ],
    });
    for await (const part of model.stream(request({ user: 'u1' }))) if (part.type === 'text-delta') break;
    expect(ledger.entries()).toHaveLength(1);
    expect(ledger.entries()[0]).toMatchObject({
      keys: { user: 'u1' },
      usage: { inputTokens: 10, outputTokens: 0 },
      cost: { known: true, usd: 0.0000015 },
      partial: true,
    });
    expect(ledger.totals()).toMatchObject({ calls: 1, partialCalls: 1, unpricedCalls: 0 });
  });

  it('counts a stream abandoned before any usage arrived as an unpriced partial call', async () => {
    const { ledger, model } = setup();
    for await (const part of model.stream(request())) if (part.type === 'text-delta') break;
    expect(ledger.entries()).toHaveLength(1);
    expect(ledger.entries()[0]).toMatchObject({ usage: undefined, cost: { known: false, reason: 'no-usage' }, partial: true });
    expect(ledger.totals()).toMatchObject({ calls: 1, usd: 0, unpricedCalls: 1, unpricedModels: [], partialCalls: 1 });
  });

  it('records a stream that fails midway as partial, and lets the error through', async () => {
    const { ledger, model } = setup({ failAfter: 3 });
    await expect(drain(model.stream(request()))).rejects.toThrow('connection reset');
    expect(ledger.entries()).toHaveLength(1);
    expect(ledger.entries()[0]).toMatchObject({ usage: { inputTokens: 10, outputTokens: 5 }, partial: true, cost: { known: true } });
  });

  it('records nothing for a stream that fails before any part arrived', async () => {
    const { ledger, model } = setup({ failAfter: 0 });
    await expect(drain(model.stream(request()))).rejects.toThrow('connection reset');
    expect(ledger.entries()).toEqual([]);
  });

  it('records a finished stream without a usage part as an unpriced, complete call', async () => {
    const { ledger, model } = setup({ parts: [{ type: 'text-delta', text: 'hi' }, { type: 'finish', finishReason: 'stop' }] });
    await drain(model.stream(request()));
    expect(ledger.entries()).toHaveLength(1);
    expect(ledger.entries()[0]).toMatchObject({ usage: undefined, partial: false, cost: { known: false, reason: 'no-usage' } });
  });

  it('replays complete as a stream when the model has no doStream, and records it once', async () => {
    const ledger = new CostLedger();
    const model = wrapModel(
      createLanguageModel({
        provider: 'test',
        modelId: 'gpt-4o-mini',
        doComplete: async () => ({ text: 'hi', finishReason: 'stop', usage: { inputTokens: 10, outputTokens: 5 } }),
      }),
      [costLedger(ledger)],
    );
    await drain(model.stream(request()));
    expect(ledger.totals()).toMatchObject({ calls: 1, usd: TEN_IN_FIVE_OUT, partialCalls: 0 });
  });

  it('tells onRecord listeners about stream and complete calls alike', async () => {
    const { ledger, model } = setup();
    const seen: string[] = [];
    ledger.onRecord((entry) => seen.push(`${String(entry.keys.variant)}:${entry.partial}`));
    await model.complete(request({ variant: 'A' }));
    await drain(model.stream(request({ variant: 'B' })));
    expect(seen).toEqual(['A:false', 'B:false']);
  });
});

describe('costLedger middleware: with the cache middleware inside it', () => {
  it('records a cache hit as a free call without usage, so tokens are not counted twice', async () => {
    const ledger = new CostLedger();
    const model = wrapModel(testModel(), [costLedger(ledger), cache()]);
    await model.complete(request({ variant: 'A' }));
    await model.complete(request({ variant: 'A' }));
    const parts: StreamPart[] = [];
    for await (const part of model.stream(request({ variant: 'A' }))) parts.push(part);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', providerMetadata: { cache: 'hit' } });

    const [miss, hit, streamedHit] = ledger.entries();
    expect(miss).toMatchObject({ usage: { inputTokens: 10 }, cost: { known: true, usd: TEN_IN_FIVE_OUT } });
    expect(hit).toMatchObject({ usage: undefined, cost: { known: true, usd: 0, reason: 'cache-hit' } });
    expect(streamedHit).toMatchObject({ usage: undefined, partial: false, cost: { known: true, usd: 0, reason: 'cache-hit' } });
    expect(ledger.totals()).toMatchObject({ calls: 3, usd: TEN_IN_FIVE_OUT, usage: { inputTokens: 10 }, unpricedCalls: 0 });
  });
});
