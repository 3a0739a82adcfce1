import { ConversationStoreError } from '@kit/conversations';
import { FsmSessionError } from '@kit/fsm';
import { ProviderError } from '@kit/llm';
import { RedisStoreError } from '@kit/llm/redis';
import { describe, expect, it } from 'vitest';
import { isRetryableError } from './retryable-error.js';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isRetryableError', () => {
  it("follows Kit's retryable flag: conflicts, an unreachable store and rate-limit waits, not other Kit errors", () => {
    expect(isRetryableError(new FsmSessionError('conflict', 'c1', 'lost the race'))).toBe(true);
    expect(isRetryableError(new FsmSessionError('unavailable', 'c1', 'the store is unavailable'))).toBe(true);
    expect(isRetryableError(new FsmSessionError('corrupt', 'c1', 'bad'))).toBe(false);
    expect(isRetryableError(new ConversationStoreError('unavailable', 'lost the connection'))).toBe(true);
    expect(isRetryableError(new ConversationStoreError('invalid', 'bad input'))).toBe(false);
    expect(isRetryableError(new ProviderError({ kind: 'rate-limit', message: 'wait too long' }))).toBe(true);
    expect(isRetryableError(new ProviderError({ kind: 'auth', message: 'no' }))).toBe(false);
  });

  it('takes the outermost label, whatever its causes say', () => {
    // A start that finds the id taken: not retryable, though its cause (the store's conflict) is.
    const exists = new FsmSessionError('exists', 'c1', 'a conversation with this id exists', { cause: new ConversationStoreError('conflict', 'id taken') });
    expect(isRetryableError(exists)).toBe(false);
    expect(isRetryableError(Object.assign(new Error('labelled'), { retryable: false, cause: withCode('reset', 'ECONNRESET') }))).toBe(false);
    // An unlabelled wrapper defers to the label under it.
    expect(isRetryableError(new Error('wrapped', { cause: new FsmSessionError('unavailable', 'c1', 'down') }))).toBe(true);
  });

  it('retries the unlabelled connection failures left: Redis, raw or wrapped in a RedisStoreError', () => {
    const refused = withCode('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED');
    expect(isRetryableError(new RedisStoreError({ store: 'RedisSlidingWindowStore', operation: 'take', reason: 'command-failed', detail: refused.message, cause: refused }))).toBe(true);
    expect(isRetryableError(new Error('Connection is closed.'))).toBe(true);
    expect(isRetryableError(new Error('Reached the max retries per request limit (which is 3). Refer to "maxRetriesPerRequest" option for details.'))).toBe(true);
    expect(isRetryableError(new Error('wrapped', { cause: withCode('reset', 'ECONNRESET') }))).toBe(true);
    expect(isRetryableError(new AggregateError([withCode('refused', 'ECONNREFUSED')], 'all failed'))).toBe(true);
  });

  it('does not retry mistakes, nor a database error Kit failed to label (the run must report it)', () => {
    expect(isRetryableError(new RedisStoreError({ store: 'RedisSlidingWindowStore', operation: 'take', reason: 'command-failed', detail: 'NOSCRIPT' }))).toBe(false);
    expect(isRetryableError(withCode('terminating connection due to administrator command', '57P01'))).toBe(false);
    expect(isRetryableError(withCode('syntax error at or near', '42601'))).toBe(false);
    expect(isRetryableError(new TypeError('x is not a function'))).toBe(false);
    expect(isRetryableError('a string')).toBe(false);
    expect(isRetryableError(undefined)).toBe(false);
  });
});
