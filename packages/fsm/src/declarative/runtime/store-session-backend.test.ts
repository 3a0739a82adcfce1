import { ConversationStoreError, MemoryConversationStore, type ConversationStore } from '@kit/conversations';
import { describe, expect, it } from 'vitest';
import { FsmSessionError } from '../errors/fsm-session-error.js';
import { signupMachine } from '../test-support/signup-machine.js';
import { createRuntime } from './fsm-runtime.js';
import { raceModel } from './test-support/race-model.js';

type Operation = 'create' | 'appendNodes' | 'load';

/**
 * How the next call of an operation fails, as the PostgreSQL store reports it: `unavailable`
 * before the call (nothing stored) or after it (stored, but the answer never came back), or a
 * `conflict` with nothing stored (a serialization failure).
 */
type Failure = 'before' | 'after' | 'conflict';

/** A memory store whose calls fail when told to. */
function unreliableStore(): ConversationStore & { failNext(operation: Operation, failure: Failure): void } {
  const store = new MemoryConversationStore();
  const pending = new Map<Operation, Failure>();
  async function run<T>(operation: Operation, conversationId: string, call: () => Promise<T>): Promise<T> {
    const when = pending.get(operation);
    pending.delete(operation);
    if (when === 'before') throw new ConversationStoreError('unavailable', 'cannot reach the database (connect ECONNREFUSED); nothing was written', { conversationId });
    if (when === 'conflict') throw new ConversationStoreError('conflict', 'the database aborted the transaction in favour of a concurrent one; nothing was written', { conversationId });
    const result = await call();
    if (when === 'after') {
      const lost = new Error('Connection terminated unexpectedly');
      throw new ConversationStoreError('unavailable', 'lost the connection during the write, which may or may not have been stored', { conversationId, cause: lost });
    }
    return result;
  }
  return {
    failNext: (operation, failure) => void pending.set(operation, failure),
    create: (input) => run('create', input.id, () => store.create(input)),
    appendNodes: (id, input) => run('appendNodes', id, () => store.appendNodes(id, input)),
    setActiveNode: (id, nodeId, options) => store.setActiveNode(id, nodeId, options),
    updateMetadata: (id, patch, options) => store.updateMetadata(id, patch, options),
    load: (id) => run('load', id, () => store.load(id)),
    list: (options) => store.list(options),
    search: (text, options) => store.search(text, options),
    delete: (id) => store.delete(id),
    close: () => store.close(),
  };
}

async function rejection(promise: Promise<unknown>): Promise<FsmSessionError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'the call succeeded').toBeInstanceOf(FsmSessionError);
  return error as FsmSessionError;
}

const userTexts = async (store: ConversationStore, id: string) =>
  (await store.load(id))!.nodes.filter((n) => n.message.role === 'user').map((n) => n.message.content);

describe('StoreSessionBackend: a store that cannot be reached', () => {
  it('fails a turn whose load fails as FsmSessionError unavailable, retryable, with the store error as cause', async () => {
    const store = unreliableStore();
    const runtime = createRuntime({ machine: signupMachine, model: raceModel('a'), store, stateless: true });
    const { conversationId } = await runtime.start({}, { conversationId: 'c1' });
    store.failNext('load', 'before');
    const error = await rejection(runtime.converse(conversationId, 'hello'));
    expect(error).toMatchObject({ reason: 'unavailable', retryable: true, code: 'fsm/session-unavailable', conversationId: 'c1' });
    expect(error.cause).toBeInstanceOf(ConversationStoreError);
    expect((error.cause as ConversationStoreError).retryable).toBe(true);
    // The conversation is named once, not once per layer.
    expect(error.message).toBe('the conversation store is unavailable: cannot reach the database (connect ECONNREFUSED); nothing was written (conversation "c1")');
    expect((await runtime.converse(conversationId, 'hello')).message).toBe('a heard "hello"');
  });

  it('answers a retried turn from the store when the write that failed had been stored, with an idempotency key', async () => {
    const store = unreliableStore();
    const runtime = createRuntime({ machine: signupMachine, model: raceModel('a'), store, stateless: true });
    const { conversationId } = await runtime.start();
    store.failNext('appendNodes', 'after');
    const error = await rejection(runtime.converse(conversationId, 'hello', { idempotencyKey: 'k1' }));
    expect(error).toMatchObject({ reason: 'unavailable', retryable: true });
    expect(error.message).toMatch(/may or may not have been stored/);
    const retried = await runtime.converse(conversationId, 'hello', { idempotencyKey: 'k1' });
    expect(retried).toMatchObject({ message: 'a heard "hello"', replayed: true });
    expect(await userTexts(store, conversationId)).toEqual(['hello']);
  });

  it('runs a retried turn whose failed write was not stored, once', async () => {
    const store = unreliableStore();
    const runtime = createRuntime({ machine: signupMachine, model: raceModel('a'), store, stateless: true });
    const { conversationId } = await runtime.start();
    store.failNext('appendNodes', 'before');
    await rejection(runtime.converse(conversationId, 'hello', { idempotencyKey: 'k1' }));
    const retried = await runtime.converse(conversationId, 'hello', { idempotencyKey: 'k1' });
    expect(retried.replayed).not.toBe(true);
    expect(await userTexts(store, conversationId)).toEqual(['hello']);
  });

  it('fails a start as unavailable, and the same start again finishes it, whether or not its create was stored', async () => {
    for (const when of ['before', 'after'] as const) {
      const store = unreliableStore();
      const runtime = createRuntime({ machine: signupMachine, model: raceModel('a'), store, stateless: true });
      store.failNext('create', when);
      const error = await rejection(runtime.start({}, { conversationId: 'c1' }));
      expect(error, when).toMatchObject({ reason: 'unavailable', retryable: true });
      expect(await runtime.start({}, { conversationId: 'c1' }), when).toEqual({ conversationId: 'c1', message: 'a: Hi! Your name?', state: 'ask_name' });
      expect((await runtime.converse('c1', 'hello')).message).toBe('a heard "hello"');
    }
  });

  it('fails a start whose opening was stored but not acknowledged as unavailable; the same start then says it exists', async () => {
    const store = unreliableStore();
    const runtime = createRuntime({ machine: signupMachine, model: raceModel('a'), store, stateless: true });
    store.failNext('appendNodes', 'after');
    expect(await rejection(runtime.start({}, { conversationId: 'c1' }))).toMatchObject({ reason: 'unavailable', retryable: true });
    expect(await rejection(runtime.start({}, { conversationId: 'c1' }))).toMatchObject({ reason: 'exists', retryable: false });
    expect((await runtime.converse('c1', 'hello')).message).toBe('a heard "hello"');
  });

  it("makes a create conflict over a conversation that is not there a retryable conflict, not 'exists'", async () => {
    const store = unreliableStore();
    store.failNext('create', 'conflict');
    const runtime = createRuntime({ machine: signupMachine, model: raceModel('a'), store, stateless: true });
    expect(await rejection(runtime.start({}, { conversationId: 'c1' }))).toMatchObject({ reason: 'conflict', retryable: true });
    expect((await runtime.start({}, { conversationId: 'c1' })).state).toBe('ask_name');
  });

  it('leaves errors the store did not label alone', async () => {
    const store = unreliableStore();
    const broken: ConversationStore = { ...store, load: () => Promise.reject(new TypeError('a bug')) };
    const runtime = createRuntime({ machine: signupMachine, model: raceModel('a'), store: broken, stateless: true });
    await expect(runtime.converse('c1', 'hello')).rejects.toThrow(TypeError);
  });
});
