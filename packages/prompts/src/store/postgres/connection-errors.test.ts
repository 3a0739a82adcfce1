import { describe, expect, it } from 'vitest';
import { classifyConnectionError } from './connection-errors.js';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyConnectionError', () => {
  it('calls a connection that never reached the server unreachable', () => {
    expect(classifyConnectionError(withCode('connect ECONNREFUSED 127.0.0.1:5999', 'ECONNREFUSED'))).toBe('unreachable');
    expect(classifyConnectionError(withCode('the database system is starting up', '57P03'))).toBe('unreachable');
    expect(classifyConnectionError(withCode('the database system is shutting down', '57P03'))).toBe('unreachable');
    expect(classifyConnectionError(withCode('sorry, too many clients already', '53300'))).toBe('unreachable');
    expect(classifyConnectionError(withCode('getaddrinfo EAI_AGAIN db', 'EAI_AGAIN'))).toBe('unreachable');
    expect(classifyConnectionError(new Error('timeout exceeded when trying to connect'))).toBe('unreachable');
    expect(classifyConnectionError(new Error('Connection terminated due to connection timeout', { cause: new Error('timeout expired') }))).toBe('unreachable');
  });

  it('calls a connection that broke while in use lost', () => {
    expect(classifyConnectionError(withCode('terminating connection due to administrator command', '57P01'))).toBe('lost');
    expect(classifyConnectionError(withCode('terminating connection because of crash of another server process', '57P02'))).toBe('lost');
    expect(classifyConnectionError(withCode('read ECONNRESET', 'ECONNRESET'))).toBe('lost');
    expect(classifyConnectionError(withCode('write EPIPE', 'EPIPE'))).toBe('lost');
    expect(classifyConnectionError(withCode('connection failure', '08006'))).toBe('lost');
    expect(classifyConnectionError(new Error('Connection terminated unexpectedly'))).toBe('lost');
    expect(classifyConnectionError(new Error('Client has encountered a connection error and is not queryable'))).toBe('lost');
  });

  it('follows the cause chain, outermost match first', () => {
    expect(classifyConnectionError(new Error('wrapped', { cause: new Error('again', { cause: withCode('reset', 'ECONNRESET') }) }))).toBe('lost');
    expect(classifyConnectionError(Object.assign(withCode('starting up', '57P03'), { cause: withCode('reset', 'ECONNRESET') }))).toBe('unreachable');
  });

  it("looks into an AggregateError's errors: Node's refusal by every address of a host", () => {
    // As Node reports it: the aggregate has no message; the code may or may not be on it.
    const refused = new AggregateError([withCode('connect ECONNREFUSED ::1:5999', 'ECONNREFUSED'), withCode('connect ECONNREFUSED 127.0.0.1:5999', 'ECONNREFUSED')]);
    expect(classifyConnectionError(refused)).toBe('unreachable');
    expect(classifyConnectionError(Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' }))).toBe('unreachable');
    expect(classifyConnectionError(new AggregateError([withCode('no address', 'EADDRNOTAVAIL'), withCode('refused', 'ECONNREFUSED')]))).toBe('unreachable');
    expect(classifyConnectionError(new AggregateError([withCode('refused', 'ECONNREFUSED'), withCode('reset', 'ECONNRESET')]))).toBe('lost');
    expect(classifyConnectionError(new AggregateError([new Error('a'), new TypeError('b')]))).toBeUndefined();
  });

  it('leaves every other error alone: SQL, constraints, bugs, a store closed by its owner, non-errors', () => {
    expect(classifyConnectionError(withCode('syntax error at or near "SELEC"', '42601'))).toBeUndefined();
    expect(classifyConnectionError(withCode('duplicate key value violates unique constraint', '23505'))).toBeUndefined();
    expect(classifyConnectionError(withCode('could not serialize access', '40001'))).toBeUndefined();
    expect(classifyConnectionError(withCode('getaddrinfo ENOTFOUND no-such-host', 'ENOTFOUND'))).toBeUndefined();
    expect(classifyConnectionError(new TypeError('x is not a function'))).toBeUndefined();
    expect(classifyConnectionError(new Error('Connection terminated'))).toBeUndefined();
    expect(classifyConnectionError(new Error('Client was closed and is not queryable'))).toBeUndefined();
    expect(classifyConnectionError(new Error('Cannot use a pool after calling end on the pool'))).toBeUndefined();
    expect(classifyConnectionError('Connection terminated unexpectedly')).toBeUndefined();
    expect(classifyConnectionError(undefined)).toBeUndefined();
    expect(classifyConnectionError(null)).toBeUndefined();
  });

  it('stops on a cause chain that loops', () => {
    const looped = new Error('a') as Error & { cause?: unknown };
    looped.cause = new Error('b', { cause: looped });
    expect(classifyConnectionError(looped)).toBeUndefined();
  });
});
