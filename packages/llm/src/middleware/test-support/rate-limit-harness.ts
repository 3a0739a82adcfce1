import { expect } from 'vitest';
import type { LanguageModel } from '../../language-model.js';
import { estimateTokensFast } from '../../tokens/estimate.js';
import type { CompletionRequest } from '../../types/request.js';
import type { CompletionResponse } from '../../types/response.js';
import type { StreamPart } from '../../types/stream-part.js';
import type { CallEvent, LanguageModelMiddleware, MiddlewareContext } from '../middleware.js';

// What the rateLimit tests of both algorithms share: a request, the replies the layer below gives,
// and the layer called directly with a next() that records when each call got through.

export const ask: CompletionRequest = { messages: [{ role: 'user', content: 'hi' }] };
/** What `ask` reserves before any `maxTokens`. */
export const PROMPT = estimateTokensFast({ messages: ask.messages });
export const withOutput = (maxTokens: number): CompletionRequest => ({ ...ask, maxTokens });

/** How the layer below answers a call. */
export interface Reply {
  totalTokens?: number;
  /** How long the call takes, on the fake clock. */
  durationMs?: number;
  error?: Error;
  cacheHit?: boolean;
}

export function response(reply: Reply): CompletionResponse {
  const total = reply.totalTokens ?? 0;
  const out: CompletionResponse = {
    text: 'ok',
    toolCalls: [],
    reasoning: [],
    finishReason: 'stop',
    usage: { inputTokens: total, outputTokens: 0, totalTokens: total },
    provider: 'test',
    model: 'm1',
  };
  if (reply.cacheHit) out.providerMetadata = { cache: 'hit' };
  return out;
}

/** `layer` called directly: `complete` and `stream` with labels, the events it reported, and when each call started. */
export function layerHarness(layer: LanguageModelMiddleware) {
  const events: CallEvent[] = [];
  const context: MiddlewareContext = {
    model: { provider: 'test', modelId: 'm1' } as LanguageModel,
    callId: 'call_1',
    report: (event) => events.push(event),
    onEvent: () => undefined,
  };
  const started: Array<{ label: string; at: number }> = [];
  const complete = (label: string, request: CompletionRequest = ask, reply: Reply = {}) =>
    layer.complete!(
      request,
      async () => {
        started.push({ label, at: Date.now() });
        if (reply.durationMs) await new Promise((resolve) => setTimeout(resolve, reply.durationMs));
        if (reply.error) throw reply.error;
        return response(reply);
      },
      context,
    );
  const stream = (label: string, request: CompletionRequest, parts: StreamPart[]) =>
    layer.stream!(
      request,
      async function* () {
        started.push({ label, at: Date.now() });
        yield* parts;
      },
      context,
    );
  return { complete, stream, events, started, labels: () => started.map((s) => s.label) };
}

/** Settles a promise's state without awaiting it, to check that it is still pending. */
export function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

export function expectResolved(state: { settled: boolean; error?: unknown }) {
  expect(state.settled).toBe(true);
  expect(state.error).toBeUndefined();
}
