import { describe, expect, it } from 'vitest';
import { checkCompletionRequest, deriveRequest, parseCompletionRequest } from './request-validation.js';
import type { CompletionRequest } from './types/request.js';

const request: CompletionRequest = { messages: [{ role: 'user', content: 'Hi' }], temperature: 0.5 };

describe('parseCompletionRequest', () => {
  it('returns a checked copy, and that copy as it is when it comes back (validated once per chain)', () => {
    const parsed = parseCompletionRequest(request);
    expect(parsed).not.toBe(request);
    expect(parsed).toEqual(request);
    expect(parseCompletionRequest(parsed)).toBe(parsed);
    expect(checkCompletionRequest(parsed)).toBe(parsed);
  });

  it('checks again a copy a caller made of a validated request, since the copy may have been changed', () => {
    const parsed = parseCompletionRequest(request);
    const changed = { ...parsed, temperature: 5 };
    expect(() => parseCompletionRequest(changed)).toThrow(expect.objectContaining({ kind: 'invalid-request' }));
    expect(() => parseCompletionRequest(Object.assign({}, parsed, { messages: [] }))).toThrow(expect.objectContaining({ kind: 'invalid-request' }));
  });

  it('leaves no trace of the mark on the request: keys, JSON and copies are as before', () => {
    const parsed = parseCompletionRequest(request);
    expect(Reflect.ownKeys(parsed)).toEqual(['messages', 'temperature']);
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(request);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it('rejects what is not a request object, naming the problem', () => {
    for (const bad of [null, undefined, 'hi', 42, { messages: 'hi' }]) {
      expect(() => parseCompletionRequest(bad as unknown as CompletionRequest)).toThrow(expect.objectContaining({ kind: 'invalid-request' }));
    }
  });
});

describe('checkCompletionRequest', () => {
  it('returns a checked copy that is not marked, so the next layer checks it again', () => {
    const checked = checkCompletionRequest(request);
    expect(checked).toEqual(request);
    expect(checkCompletionRequest(checked)).not.toBe(checked);
    expect(() => checkCompletionRequest({ messages: [] })).toThrow(expect.objectContaining({ kind: 'invalid-request' }));
  });
});

describe('deriveRequest', () => {
  it('keeps the mark of a validated request on the derived copy', () => {
    const signal = new AbortController().signal;
    const derived = deriveRequest(parseCompletionRequest(request), { signal });
    expect(derived.signal).toBe(signal);
    expect(parseCompletionRequest(derived)).toBe(derived);
  });

  it('gives no mark to a copy of a request that was never validated', () => {
    const derived = deriveRequest({ messages: [] }, { temperature: 1 });
    expect(() => parseCompletionRequest(derived)).toThrow(expect.objectContaining({ kind: 'invalid-request' }));
  });
});
