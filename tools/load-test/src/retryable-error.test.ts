import { FsmSessionError } from '@kit/fsm';
import { ProviderError } from '@kit/llm';
import { describe, expect, it } from 'vitest';
import { isRetryableError } from './retryable-error.js';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isRetryableError', () => {
  it('retries conflicts between processes and rate-limit waits, not other Kit errors', () => {
    expect(isRetryableError(new FsmSessionError('conflict', 'c1', 'lost the race'))).toBe(true);
    expect(isRetryableError(new FsmSessionError('corrupt', 'c1', 'bad'))).toBe(false);
    expect(isRetryableError(new ProviderError({ kind: 'rate-limit', message: 'wait too long' }))).toBe(true);
    expect(isRetryableError(new ProviderError({ kind: 'auth', message: 'no' }))).toBe(false);
  });

  it('retries a database that restarts: shutdown, refused and lost connections, also as a cause', () => {
    expect(isRetryableError(withCode('terminating connection due to administrator command', '57P01'))).toBe(true);
    expect(isRetryableError(withCode('the database system is starting up', '57P03'))).toBe(true);
    expect(isRetryableError(withCode('connect ECONNREFUSED 127.0.0.1:5999', 'ECONNREFUSED'))).toBe(true);
    expect(isRetryableError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isRetryableError(new Error('wrapped', { cause: withCode('reset', 'ECONNRESET') }))).toBe(true);
    expect(isRetryableError(new AggregateError([withCode('refused', 'ECONNREFUSED')], 'all failed'))).toBe(true);
  });

  it('does not retry mistakes: bad SQL, bad input, plain errors', () => {
    expect(isRetryableError(withCode('syntax error at or near', '42601'))).toBe(false);
    expect(isRetryableError(new TypeError('x is not a function'))).toBe(false);
    expect(isRetryableError('a string')).toBe(false);
    expect(isRetryableError(undefined)).toBe(false);
  });
});
