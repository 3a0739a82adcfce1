import { describe, expect, it } from 'vitest';
import { KitError } from './kit-error.js';
import { classifyError, providerErrorFromHttp, retryAfterMsFrom } from './classify-error.js';

describe('providerErrorFromHttp', () => {
  const cases: Array<[number, unknown, string, boolean]> = [
    [400, { error: { message: 'Invalid value for temperature' } }, 'invalid-request', false],
    [400, { error: { code: 'context_length_exceeded', message: "This model's maximum context length is 128000 tokens" } }, 'context-length', false],
    [400, { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } }, 'context-length', false],
    [401, { error: { message: 'Incorrect API key' } }, 'auth', false],
    [403, 'forbidden', 'auth', false],
    [404, { error: 'model "llama9" not found' }, 'invalid-request', false],
    [408, '', 'timeout', true],
    [409, '', 'server', true],
    [413, { error: { message: 'Request too large' } }, 'invalid-request', false],
    [422, { error: 'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096' }, 'context-length', false],
    [429, { error: { message: 'Rate limit reached' } }, 'rate-limit', true],
    [429, { error: { code: 'insufficient_quota', message: 'You exceeded your current quota' } }, 'rate-limit', false],
    [500, '', 'server', true],
    [502, '', 'server', true],
    [503, '', 'server', true],
    [529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'server', true],
    [400, { error: { code: 'content_filter', message: 'The response was filtered due to content management policy' } }, 'content-filter', false],
  ];
  it.each(cases)('HTTP %i %j is %s (retryable %s)', (status, body, kind, retryable) => {
    const error = providerErrorFromHttp({ status, body, provider: 'x' });
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(retryable);
    expect(error.status).toBe(status);
  });

  it('reads retry-after-ms, retry-after seconds and HTTP dates', () => {
    expect(retryAfterMsFrom({ 'retry-after-ms': '250', 'retry-after': '9' })).toBe(250);
    expect(retryAfterMsFrom(new Headers({ 'retry-after': '3' }))).toBe(3000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMsFrom({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now)).toBe(5000);
    expect(retryAfterMsFrom({})).toBeUndefined();
    expect(providerErrorFromHttp({ status: 429, headers: { 'retry-after': '1' } }).retryAfterMs).toBe(1000);
  });
});

describe('classifyError', () => {
  it('passes Kit errors through and labels everything else', () => {
    const kit = new KitError('x/y', 'mine');
    expect(classifyError(kit, 'p')).toBe(kit);
    expect(classifyError(Object.assign(new Error('boom'), { name: 'AbortError' }), 'p')).toMatchObject({ kind: 'aborted' });
    expect(classifyError(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }), 'p')).toMatchObject({ kind: 'network', retryable: true });
    expect(classifyError(Object.assign(new Error('x'), { status: 503 }), 'p')).toMatchObject({ kind: 'server', status: 503 });
    expect(classifyError(new RangeError('a bug'), 'p')).toMatchObject({ kind: 'server', retryable: false });
    const controller = new AbortController();
    controller.abort();
    expect(classifyError(new Error('whatever'), 'p', controller.signal)).toMatchObject({ kind: 'aborted' });
  });
});
