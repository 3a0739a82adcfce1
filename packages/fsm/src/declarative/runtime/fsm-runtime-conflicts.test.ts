import { MemoryConversationStore, type ConversationStore } from '@kit/conversations';
import { ProviderError } from '@kit/llm';
import { describe, expect, it } from 'vitest';
import { FsmSessionError } from '../errors/fsm-session-error.js';
import { signupMachine, singlePass } from '../test-support/signup-machine.js';
import type { FsmHandler } from './fsm-handler.js';
import { createRuntime, type FsmStreamEvent } from './fsm-runtime.js';
import { meetingPoint, raceModel } from './test-support/race-model.js';
import { scriptedModel } from '@kit/llm/testing';

async function collect(events: AsyncIterable<FsmStreamEvent>): Promise<FsmStreamEvent[]> {
  const seen: FsmStreamEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

const userTexts = async (store: ConversationStore, id: string) =>
  (await store.load(id))!.nodes.filter((n) => n.message.role === 'user').map((n) => n.message.content);

/** A store whose `appendNodes` fails once when `failNext` is set, as a lost connection would. */
function flakyAppends(store: ConversationStore): ConversationStore & { failNext: boolean } {
  const flaky = {
    failNext: false,
    create: (input) => store.create(input),
    appendNodes: (id, input) => {
      if (flaky.failNext) {
        flaky.failNext = false;
        return Promise.reject(new Error('connection terminated unexpectedly'));
      }
      return store.appendNodes(id, input);
    },
    setActiveNode: (id, nodeId, options) => store.setActiveNode(id, nodeId, options),
    updateMetadata: (id, patch, options) => store.updateMetadata(id, patch, options),
    load: (id) => store.load(id),
    list: (options) => store.list(options),
    search: (text, options) => store.search(text, options),
    delete: (id) => store.delete(id),
    close: () => store.close(),
  } satisfies ConversationStore & { failNext: boolean };
  return flaky;
}

describe('FsmRuntime: conflicts between processes', () => {
  it('runs error handlers on a final conflict, and drops their changes to the state that lost', async () => {
    const store = new MemoryConversationStore();
    const seen: unknown[] = [];
    const onError: FsmHandler = { hook: 'error', run: ({ error }) => (seen.push(error), { _failed: true }) };
    const meeting = meetingPoint(2);
    const a = createRuntime({ machine: signupMachine, model: raceModel('a', meeting), store, stateless: true, handlers: [onError] });
    const b = createRuntime({ machine: signupMachine, model: raceModel('b', meeting), store, stateless: true, handlers: [onError] });
    const { conversationId } = await a.start();
    const results = await Promise.allSettled([a.converse(conversationId, 'a'), b.converse(conversationId, 'b')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ reason: 'conflict' });
    const snapshot = await a.getSnapshot(conversationId);
    expect(snapshot.context).not.toHaveProperty('_failed');
    expect(snapshot.turn).toBe(1);
  });

  it('re-runs a streamed turn that lost: turn-restart, then the new reply, both turns stored', async () => {
    const store = new MemoryConversationStore();
    const meeting = meetingPoint(2);
    const streamingModel = (tag: string) =>
      scriptedModel(
        [
          async (request) => {
            if (request.responseFormat === undefined) return `${tag} reply`;
            await meeting.arrive();
            return { object: { transition: { target_state: null } } };
          },
        ],
        { loop: true },
      );
    const a = createRuntime({ machine: signupMachine, model: streamingModel('a'), store, stateless: true, conflictRetries: 1 });
    const b = createRuntime({ machine: signupMachine, model: streamingModel('b'), store, stateless: true, conflictRetries: 1 });
    const { conversationId } = await a.start();
    const [ea, eb] = await Promise.all([collect(a.converseStream(conversationId, 'to a')), collect(b.converseStream(conversationId, 'to b'))]);
    const loser = ea.some((e) => e.type === 'turn-restart') ? ea : eb;
    const types = loser.map((e) => e.type);
    const restart = types.indexOf('turn-restart');
    expect(restart).toBeGreaterThan(0);
    expect(types.slice(0, restart).every((t) => t === 'text-delta')).toBe(true);
    expect(types.slice(restart + 1).at(-1)).toBe('turn-end');
    expect(types.slice(restart + 1, -1).length).toBeGreaterThan(0);
    expect([...(await userTexts(store, conversationId))].sort()).toEqual(['to a', 'to b']);
  });

  it('gives up after conflictRetries re-runs, with the conflict', async () => {
    const store = new MemoryConversationStore();
    const interference = { conversationId: '', count: 0 };
    // Every call of this model lets another runtime write first: the turn can never win.
    const model = scriptedModel(
      [
        async (request) => {
          if (request.responseFormat === undefined) return 'Hi!';
          if (interference.conversationId !== '') await other.converse(interference.conversationId, `interference ${interference.count++}`);
          return singlePass('never stored', null);
        },
      ],
      { loop: true },
    );
    const loser = createRuntime({ machine: signupMachine, model, store, stateless: true, conflictRetries: 2 });
    const other = createRuntime({ machine: signupMachine, model: raceModel('other'), store, stateless: true });
    const { conversationId } = await loser.start();
    interference.conversationId = conversationId;
    const error = await loser.converse(conversationId, 'never stored').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FsmSessionError);
    expect(error).toMatchObject({ reason: 'conflict', retryable: true });
    expect(interference.count).toBe(3);
    expect(await userTexts(store, conversationId)).toEqual(['interference 0', 'interference 1', 'interference 2']);
  });

  it('finishes a start that stored the conversation but not its opening when started again with the same id', async () => {
    const store = flakyAppends(new MemoryConversationStore());
    const runtime = createRuntime({ machine: signupMachine, model: raceModel('a'), store, stateless: true });
    store.failNext = true;
    await expect(runtime.start({}, { conversationId: 'c1' })).rejects.toThrow(/connection terminated/);
    const broken = await runtime.converse('c1', 'hello').catch((e: unknown) => e);
    expect(broken).toMatchObject({ reason: 'corrupt', message: expect.stringContaining('start it again with this id') });

    const started = await runtime.start({}, { conversationId: 'c1' });
    expect(started).toEqual({ conversationId: 'c1', message: 'a: Hi! Your name?', state: 'ask_name' });
    expect((await runtime.converse('c1', 'hello')).message).toBe('a heard "hello"');
    await expect(runtime.start({}, { conversationId: 'c1' })).rejects.toMatchObject({ reason: 'exists' });
  });

  it('lets one of two starts of the same id win; the other is told it exists', async () => {
    const store = new MemoryConversationStore();
    const a = createRuntime({ machine: signupMachine, model: raceModel('a'), store, stateless: true });
    const b = createRuntime({ machine: signupMachine, model: raceModel('b'), store, stateless: true });
    const results = await Promise.allSettled([a.start({}, { conversationId: 'same' }), b.start({}, { conversationId: 'same' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(lost.reason).toMatchObject({ reason: 'exists', retryable: false });
    expect((await store.load('same'))!.nodes).toHaveLength(2);
  });

  it('does not retry other failures: a model error is thrown as it is', async () => {
    const store = new MemoryConversationStore();
    const model = scriptedModel(['Hi!', { error: 'server' }]);
    const runtime = createRuntime({ machine: signupMachine, model, store, stateless: true, conflictRetries: 3 });
    const { conversationId } = await runtime.start();
    await expect(runtime.converse(conversationId, 'hi', { idempotencyKey: 'k' })).rejects.toBeInstanceOf(ProviderError);
    expect(model.requests).toHaveLength(2);
  });
});
