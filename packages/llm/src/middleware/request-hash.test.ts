import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CompletionRequest } from '../types/request.js';
import { requestCacheKey } from './request-hash.js';

const model = { provider: 'test', modelId: 'm1' };
const weather = {
  name: 'weather',
  description: 'The weather in a city',
  parameters: z.object({ city: z.string(), unit: z.enum(['c', 'f']).optional() }),
};
const base: CompletionRequest = {
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Weather in Oslo?' },
  ],
  tools: [weather],
  temperature: 0,
  maxTokens: 100,
  providerOptions: { openai: { user: 'u1', store: false } },
};
const key = (request: CompletionRequest, m = model) => requestCacheKey(request, m);

describe('requestCacheKey', () => {
  it('is a hex sha256, stable across calls', () => {
    expect(key(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(key(base)).toBe(key({ ...base }));
  });

  it('ignores metadata and signal', () => {
    const labelled = { ...base, metadata: { tenant: 'acme', attempt: 2 }, signal: new AbortController().signal };
    expect(key(labelled)).toBe(key(base));
  });

  it('treats a field set to undefined like an absent one', () => {
    expect(key({ ...base, seed: undefined, stop: undefined })).toBe(key(base));
  });

  it('does not depend on object key order', () => {
    const reordered: CompletionRequest = {
      providerOptions: { openai: { store: false, user: 'u1' } },
      maxTokens: 100,
      temperature: 0,
      tools: [weather],
      messages: [
        { content: 'Be brief.', role: 'system' },
        { content: 'Weather in Oslo?', role: 'user' },
      ],
    };
    expect(key(reordered)).toBe(key(base));
  });

  it('changes with each field that can change the reply', () => {
    const variants: CompletionRequest[] = [
      { ...base, temperature: 0.7 },
      { ...base, maxTokens: 101 },
      { ...base, topP: 0.9 },
      { ...base, stop: ['\n'] },
      { ...base, seed: 1 },
      { ...base, toolChoice: 'required' },
      { ...base, providerOptions: { openai: { user: 'u2', store: false } } },
      { ...base, messages: [...base.messages, { role: 'user', content: 'and tomorrow?' }] },
      { ...base, messages: [base.messages[1]!, base.messages[0]!] },
      { ...base, tools: [] },
      { ...base, tools: undefined },
      { ...base, tools: [{ ...weather, description: 'Weather' }] },
      { ...base, tools: [{ ...weather, name: 'forecast' }] },
      { ...base, tools: [{ ...weather, parameters: z.object({ city: z.string() }) }] },
      { ...base, responseFormat: { type: 'text' } },
      { ...base, responseFormat: { type: 'json' } },
      { ...base, responseFormat: { type: 'json', name: 'answer' } },
      { ...base, responseFormat: { type: 'json', schema: z.object({ a: z.number() }) } },
    ];
    const keys = new Set([key(base), ...variants.map((v) => key(v))]);
    expect(keys.size).toBe(variants.length + 1);
  });

  it('changes with the provider and the model', () => {
    expect(key(base, { provider: 'test', modelId: 'm2' })).not.toBe(key(base));
    expect(key(base, { provider: 'other', modelId: 'm1' })).not.toBe(key(base));
  });

  it('sees equal schemas built separately as equal', () => {
    const again = { ...weather, parameters: z.object({ city: z.string(), unit: z.enum(['c', 'f']).optional() }) };
    expect(key({ ...base, tools: [again] })).toBe(key(base));
  });

  it('throws for a schema that has no JSON Schema form', () => {
    const odd = { name: 'odd', parameters: z.object({ when: z.date() }) };
    expect(() => key({ ...base, tools: [odd] })).toThrow();
  });

  it('stays within a few microseconds for a typical request', () => {
    for (let i = 0; i < 2000; i++) key(base);
    const runs = 20_000;
    const started = performance.now();
    for (let i = 0; i < runs; i++) key(base);
    const microsPerCall = ((performance.now() - started) * 1000) / runs;
    // About 5-10 µs on a small 2-core runner; the bound is loose so that a busy machine does not
    // fail it, yet a per-call schema conversion or a slow serializer would.
    expect(microsPerCall).toBeLessThan(40);
  });
});
