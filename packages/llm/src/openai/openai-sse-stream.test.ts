import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import { startReplayServer } from '../testing/replay-server.js';
import { readOpenAIStream } from './openai-sse-stream.js';
import { openaiSdk } from './openai-sdk.js';

const encoder = new TextEncoder();

const chunk = (content: string) => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] });
const event = (data: unknown) => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

/** A response whose body delivers `reads` one per read, and records how it was driven. */
function body(reads: readonly string[], options: { hangAfter?: boolean; failWith?: unknown } = {}) {
  const state = { pulls: 0, cancelled: false };
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulls++;
      if (i < reads.length) controller.enqueue(encoder.encode(reads[i++]!));
      else if (options.failWith !== undefined) controller.error(options.failWith);
      else if (options.hangAfter) return new Promise<void>(() => undefined);
      else controller.close();
      return undefined;
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { response: new Response(stream, { headers: { 'x-request-id': 'req_1' } }), state };
}

async function batches(iterable: AsyncIterable<unknown[]>): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const batch of iterable) out.push(batch);
  return out;
}

describe('readOpenAIStream', () => {
  it('parses every chunk in order, in batches that grow 1, 2, 4, ... within a read', async () => {
    const all = Array.from({ length: 20 }, (_, i) => chunk(`w${i}`));
    const text = all.map(event).join('');
    // Two reads: 15 events and the start of the 16th, then the rest.
    const cut = all.slice(0, 15).map(event).join('').length + 10;
    const { response } = body([text.slice(0, cut), text.slice(cut)]);
    const out = await batches(readOpenAIStream(response, undefined));
    expect(out.flat()).toEqual(all);
    expect(out.map((batch) => batch.length)).toEqual([1, 2, 4, 8, 5]);
  });

  it('ends the chunks at [DONE], reading the body to its end as the SDK does', async () => {
    const { response, state } = body([event(chunk('a')) + event('[DONE]') + event(chunk('ignored')), event(chunk('also ignored'))]);
    const out = await batches(readOpenAIStream(response, undefined));
    expect(out.flat()).toEqual([chunk('a')]);
    expect(state.pulls).toBe(3);
    expect(state.cancelled).toBe(false);
  });

  it('ends quietly when the body ends mid-event (the mapper then reports a truncated stream)', async () => {
    const { response } = body([event(chunk('a')) + 'data: {"choi']);
    expect((await batches(readOpenAIStream(response, undefined))).flat()).toEqual([chunk('a')]);
  });

  it('fails with the SDK APIError, without status, on an error field, after the chunks before it', async () => {
    const { response, state } = body([event(chunk('a')) + event(chunk('b')) + event({ error: { message: 'overloaded', type: 'server_error' } })], { hangAfter: true });
    const iterator = readOpenAIStream(response, undefined);
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const batch of iterator) seen.push(...batch);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([chunk('a'), chunk('b')]);
    expect(error).toBeInstanceOf(openaiSdk.APIError);
    expect(error).toMatchObject({ status: undefined, message: 'overloaded' });
    expect(state.cancelled).toBe(true);
  });

  it('fails on an error event without an error field only when asked to, and yields it otherwise', async () => {
    const reads = ['event: error\ndata: {"type":"error","message":"stream broke"}\n\n'];
    const error = await batches(readOpenAIStream(body(reads).response, undefined, { failOnErrorEvents: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(openaiSdk.APIError);
    expect(error).toMatchObject({ status: undefined, message: 'stream broke' });
    expect(await batches(readOpenAIStream(body(reads).response, undefined))).toEqual([[{ type: 'error', message: 'stream broke' }]]);
  });

  it('fails with the SyntaxError on data that is not JSON, after the chunks before it', async () => {
    const { response, state } = body([event(chunk('ok')), 'data: {"choices": [oops\n\n'], { hangAfter: true });
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const batch of readOpenAIStream(response, undefined)) seen.push(...batch);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([chunk('ok')]);
    expect(error).toBeInstanceOf(SyntaxError);
    expect(state.cancelled).toBe(true);
  });

  it('cancels the body on return(), also while a read is out', async () => {
    const { response, state } = body([event(chunk('a'))], { hangAfter: true });
    const iterator = readOpenAIStream(response, undefined);
    expect(await iterator.next()).toEqual({ done: false, value: [chunk('a')] });
    const pending = iterator.next();
    await iterator.return!();
    expect(state.cancelled).toBe(true);
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('closes the HTTP connection itself on return(), with no abort of the fetch', async () => {
    const server = await startReplayServer();
    try {
      server.reply({ chunks: [event(chunk('a'))], hang: true });
      const iterator = readOpenAIStream(await fetch(`${server.url}/v1/chat/completions`, { method: 'POST' }), undefined);
      expect(await iterator.next()).toEqual({ done: false, value: [chunk('a')] });
      await iterator.return!();
      await server.waitForClose();
    } finally {
      await server.close();
    }
  });

  it('ends quietly when a read fails because the signal aborted, and rethrows other read failures', async () => {
    const controller = new AbortController();
    controller.abort();
    const aborted = body([event(chunk('a'))], { failWith: new DOMException('aborted', 'AbortError') });
    expect((await batches(readOpenAIStream(aborted.response, controller.signal))).flat()).toEqual([chunk('a')]);
    const cut = body([event(chunk('a'))], { failWith: new TypeError('terminated') });
    await expect(batches(readOpenAIStream(cut.response, undefined))).rejects.toThrow('terminated');
  });

  it('rejects a response without a body with a typed error', () => {
    expect(() => readOpenAIStream(new Response(null), undefined)).toThrow(ProviderError);
  });
});
