import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parsePlainCompletionRequest } from './request-fast-path.js';
import { completionRequestSchema } from './types/request.js';

const schema = z.object({ answer: z.string() });
const signal = new AbortController().signal;

const base = {
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Hi <|endoftext|> {{name}}' },
    { role: 'assistant', content: 'Hello.' },
    { role: 'user', content: 'again', name: 'ada' },
  ],
};

// Each entry changes the base request; the corpus is every entry alone and every pair.
const variations: Array<[string, (r: Record<string, unknown>) => void]> = [
  ['temperature 0.7', (r) => (r.temperature = 0.7)],
  ['temperature 2', (r) => (r.temperature = 2)],
  ['temperature 3', (r) => (r.temperature = 3)],
  ['temperature NaN', (r) => (r.temperature = Number.NaN)],
  ['temperature Infinity', (r) => (r.temperature = Number.POSITIVE_INFINITY)],
  ['temperature undefined', (r) => (r.temperature = undefined)],
  ['temperature string', (r) => (r.temperature = '0.5')],
  ['maxTokens 100', (r) => (r.maxTokens = 100)],
  ['maxTokens 0', (r) => (r.maxTokens = 0)],
  ['maxTokens 1.5', (r) => (r.maxTokens = 1.5)],
  ['maxTokens huge', (r) => (r.maxTokens = 2 ** 60)],
  ['topP 1', (r) => (r.topP = 1)],
  ['topP 0', (r) => (r.topP = 0)],
  ['stop', (r) => (r.stop = ['\n\n', 'END'])],
  ['stop empty string', (r) => (r.stop = [''])],
  ['stop 17', (r) => (r.stop = Array.from({ length: 17 }, (_, i) => `s${i}`))],
  ['stop not array', (r) => (r.stop = 'END')],
  ['seed 42', (r) => (r.seed = 42)],
  ['seed -1.5', (r) => (r.seed = -1.5)],
  ['signal', (r) => (r.signal = signal)],
  ['signal not a signal', (r) => (r.signal = { aborted: false })],
  ['metadata', (r) => (r.metadata = { tenant: 't1', n: 3, flag: true })],
  ['metadata nested', (r) => (r.metadata = { tenant: { id: 1 } })],
  ['metadata undefined value', (r) => (r.metadata = { tenant: undefined })],
  ['providerOptions', (r) => (r.providerOptions = { openai: { user: 'u1' } })],
  ['providerOptions undefined', (r) => (r.providerOptions = undefined)],
  ['responseFormat text', (r) => (r.responseFormat = { type: 'text' })],
  ['responseFormat json', (r) => (r.responseFormat = { type: 'json' })],
  ['responseFormat json schema', (r) => (r.responseFormat = { type: 'json', schema, name: 'reply_1', description: 'd' })],
  ['responseFormat bad name', (r) => (r.responseFormat = { type: 'json', name: 'has space' })],
  ['responseFormat bad schema', (r) => (r.responseFormat = { type: 'json', schema: { type: 'object' } })],
  ['responseFormat extra key', (r) => (r.responseFormat = { type: 'json', strict: true })],
  ['responseFormat xml', (r) => (r.responseFormat = { type: 'xml' })],
  ['tools empty', (r) => (r.tools = [])],
  ['tools one', (r) => (r.tools = [{ name: 'lookup', parameters: schema }])],
  ['tools bad name', (r) => (r.tools = [{ name: 'look up', parameters: schema }])],
  ['toolChoice auto', (r) => (r.toolChoice = 'auto')],
  ['toolChoice required', (r) => (r.toolChoice = 'required')],
  ['toolChoice unknown', (r) => (r.toolChoice = 'sometimes')],
  ['unknown request key', (r) => (r.extra = 1)],
  ['prepared request keys', (r) => Object.assign(r, { toolSchemas: [], responseSchema: { type: 'object' } })],
  ['no messages', (r) => (r.messages = [])],
  ['messages not array', (r) => (r.messages = 'hi')],
  ['message extra key', (r) => (r.messages = [{ role: 'user', content: 'x', id: 1 }])],
  ['message bad role', (r) => (r.messages = [{ role: 'robot', content: 'x' }])],
  ['message content number', (r) => (r.messages = [{ role: 'user', content: 1 }])],
  ['user empty name', (r) => (r.messages = [{ role: 'user', content: 'x', name: '' }])],
  ['user name undefined', (r) => (r.messages = [{ role: 'user', content: 'x', name: undefined }])],
  ['user parts', (r) => (r.messages = [{ role: 'user', content: [{ type: 'text', text: 'x' }] }])],
  ['assistant tool calls', (r) => (r.messages = [{ role: 'user', content: 'x' }, { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'f', arguments: {} }] }, { role: 'tool', toolCallId: 'c1', content: 'r' }])],
  ['assistant reasoning', (r) => (r.messages = [{ role: 'assistant', content: 'x', reasoning: [{ type: 'reasoning', text: 't' }] }])],
  ['orphan tool result', (r) => (r.messages = [{ role: 'tool', toolCallId: 'nope', content: 'r' }])],
  ['message is a class instance', (r) => (r.messages = [new (class M { role = 'user'; content = 'x'; })()])],
  ['null message', (r) => (r.messages = [null])],
];

// Valid shapes the fast path leaves to zod on purpose.
const NOT_PLAIN = new Set([
  'providerOptions',
  'tools one',
  'user parts',
  'assistant tool calls',
  'assistant reasoning',
  'message extra key',
  'message is a class instance',
  'metadata undefined value',
  'responseFormat extra key',
]);

function build(changes: Array<(r: Record<string, unknown>) => void>): Record<string, unknown> {
  const request: Record<string, unknown> = { ...base, messages: base.messages.map((m) => ({ ...m })) };
  for (const change of changes) change(request);
  return request;
}

describe('parsePlainCompletionRequest', () => {
  it('returns what zod returns, or leaves the request to zod, on every variation and pair of them', () => {
    const corpus: Array<[string, string[], Record<string, unknown>]> = [['base', [], build([])]];
    for (const [name, change] of variations) corpus.push([name, [name], build([change])]);
    for (const [a, changeA] of variations) {
      for (const [b, changeB] of variations) if (a < b) corpus.push([`${a} + ${b}`, [a, b], build([changeA, changeB])]);
    }
    for (const [name, parts, request] of corpus) {
      const fast = parsePlainCompletionRequest(request);
      const slow = completionRequestSchema.safeParse(request);
      // A valid request made only of plain shapes must take the fast path, or it saves nothing.
      if (slow.success && parts.every((part) => !NOT_PLAIN.has(part))) expect(fast, `${name} should take the fast path`).toBeDefined();
      if (fast === undefined) continue;
      expect(slow.success, `${name}: the fast path accepted what zod rejects`).toBe(true);
      expect(fast, name).toStrictEqual(slow.data);
      // Same keys in the same order, so hashes of the request do not depend on the path taken.
      expect(Object.keys(fast), name).toEqual(Object.keys(slow.data!));
    }
  });

  it('copies: changing the input afterwards does not change the parsed request', () => {
    const request = build([(r) => (r.metadata = { tenant: 't1' }), (r) => (r.stop = ['END'])]);
    const parsed = parsePlainCompletionRequest(request)!;
    (request.messages as Array<{ content: string }>)[0]!.content = 'changed';
    (request.metadata as Record<string, string>).tenant = 't2';
    (request.stop as string[]).push('X');
    expect(parsed.messages[0]!.content).toBe('You are terse.');
    expect(parsed.metadata).toEqual({ tenant: 't1' });
    expect(parsed.stop).toEqual(['END']);
  });

  it('takes the plain chat a state machine sends, with a JSON response schema and a signal', () => {
    const request = build([(r) => (r.responseFormat = { type: 'json', schema, name: 'fsm_reply' }), (r) => (r.signal = signal), (r) => (r.temperature = 0)]);
    expect(parsePlainCompletionRequest(request)).toBeDefined();
  });
});
