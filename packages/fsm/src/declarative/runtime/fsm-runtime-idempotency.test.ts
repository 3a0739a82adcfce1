import { MemoryConversationStore, type ConversationStore } from '@kit/conversations';
import { describe, expect, it } from 'vitest';
import { FsmUsageError } from '../errors/fsm-usage-error.js';
import { signupMachine, singlePass } from '../test-support/signup-machine.js';
import { scriptedModel } from '@kit/llm/testing';
import { createRuntime, type FsmStreamEvent } from './fsm-runtime.js';
import { FSM_IDEMPOTENCY_METADATA_KEY } from './store-session-backend.js';
import { meetingPoint, raceModel } from './test-support/race-model.js';
import { sharedStoreFactories } from './test-support/shared-conversation-stores.js';

const userNodes = async (store: ConversationStore, id: string) => (await store.load(id))!.nodes.filter((n) => n.message.role === 'user');

async function collect(events: AsyncIterable<FsmStreamEvent>): Promise<FsmStreamEvent[]> {
  const seen: FsmStreamEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

describe('FsmRuntime: idempotent delivery', () => {
  it.each([
    ['a store, cache mode', { store: true, stateless: false }],
    ['a store, stateless', { store: true, stateless: true }],
    ['no store (memory sessions)', { store: false, stateless: false }],
  ])('answers a second delivery of a user message with the stored turn: no model call, no write (%s)', async (_name, setup) => {
    const store = new MemoryConversationStore();
    const model = scriptedModel(['Hi! Name?', singlePass('Thanks Ada. Email?', 'ask_email', { name: 'Ada' }, 'name given'), singlePass('Email?', null)]);
    const runtime = createRuntime({ machine: signupMachine, model, ...(setup.store ? { store, stateless: setup.stateless } : {}) });
    const { conversationId } = await runtime.start();
    const first = await runtime.converse(conversationId, 'I am Ada', { idempotencyKey: 'msg-1' });
    expect(first.replayed).toBeUndefined();
    const version = setup.store ? (await store.load(conversationId))!.version : 0;
    const calls = model.requests.length;

    const again = await runtime.converse(conversationId, 'I am Ada', { idempotencyKey: 'msg-1' });
    expect(again).toEqual({ ...first, replayed: true });
    expect(model.requests.length).toBe(calls);
    if (setup.store) expect((await store.load(conversationId))!.version).toBe(version);

    // A later turn moves on; the old key still answers with its own turn, not the current state.
    await runtime.converse(conversationId, 'what now?', { idempotencyKey: 'msg-2' });
    const old = await runtime.converse(conversationId, 'I am Ada', { idempotencyKey: 'msg-1' });
    expect(old).toMatchObject({ message: 'Thanks Ada. Email?', state: 'ask_email', previousState: 'ask_name', reasoning: 'name given', replayed: true });
    if (setup.store) {
      const users = await userNodes(store, conversationId);
      expect(users.map((n) => [n.message.content, n.metadata[FSM_IDEMPOTENCY_METADATA_KEY]])).toEqual([
        ['I am Ada', 'msg-1'],
        ['what now?', 'msg-2'],
      ]);
    }
  });

  it('treats a turn without a key, or with another key, as a new turn', async () => {
    const store = new MemoryConversationStore();
    const runtime = createRuntime({ machine: signupMachine, model: raceModel('a'), store, stateless: true });
    const { conversationId } = await runtime.start();
    await runtime.converse(conversationId, 'same', { idempotencyKey: 'k1' });
    await runtime.converse(conversationId, 'same');
    await runtime.converse(conversationId, 'same', { idempotencyKey: 'k2' });
    expect((await userNodes(store, conversationId)).map((n) => n.metadata[FSM_IDEMPOTENCY_METADATA_KEY])).toEqual(['k1', undefined, 'k2']);
  });

  it('looks for the key on the active path only: a turn on an abandoned branch runs again', async () => {
    const store = new MemoryConversationStore();
    const runtime = createRuntime({ machine: signupMachine, model: raceModel('a'), store, stateless: true });
    const { conversationId } = await runtime.start();
    const before = (await store.load(conversationId))!;
    await runtime.converse(conversationId, 'first try', { idempotencyKey: 'k1' });
    // Back to the opening (what an edit or a branch switch does): the keyed turn is off the path.
    const now = (await store.load(conversationId))!;
    await store.setActiveNode(conversationId, before.activeNodeId, { expectedVersion: now.version });
    const rerun = await runtime.converse(conversationId, 'first try', { idempotencyKey: 'k1' });
    expect(rerun.replayed).toBeUndefined();
    expect((await userNodes(store, conversationId)).map((n) => n.metadata[FSM_IDEMPOTENCY_METADATA_KEY])).toEqual(['k1', 'k1']);
  });

  it('replays in converseStream too: the stored reply as one text-delta, then turn-end', async () => {
    const store = new MemoryConversationStore();
    const model = scriptedModel(['Hi!', { object: { transition: { target_state: null } } }, 'Streamed reply.']);
    const runtime = createRuntime({ machine: signupMachine, model, store, stateless: true });
    const { conversationId } = await runtime.start();
    const first = await collect(runtime.converseStream(conversationId, 'hello', { idempotencyKey: 's1' }));
    const firstEnd = first.at(-1)!;
    expect(firstEnd.type).toBe('turn-end');
    const calls = model.requests.length;
    const again = await collect(runtime.converseStream(conversationId, 'hello', { idempotencyKey: 's1' }));
    expect(again).toEqual([
      { type: 'text-delta', text: 'Streamed reply.' },
      { type: 'turn-end', result: { ...(firstEnd as { result: object }).result, replayed: true } },
    ]);
    // converse and converseStream share the keys.
    expect(await runtime.converse(conversationId, 'hello', { idempotencyKey: 's1' })).toMatchObject({ message: 'Streamed reply.', replayed: true });
    expect(model.requests.length).toBe(calls);
  });

  it('replays a reply the consumer stopped reading as stored, marked partial, rather than running the turn twice', async () => {
    const store = new MemoryConversationStore();
    const model = scriptedModel(['Hi!', { object: { transition: { target_state: null } } }, { text: 'a long reply in pieces', chunkSize: 4 }]);
    const runtime = createRuntime({ machine: signupMachine, model, store, stateless: true });
    const { conversationId } = await runtime.start();
    for await (const event of runtime.converseStream(conversationId, 'hello', { idempotencyKey: 'p1' })) {
      if (event.type === 'text-delta') break;
    }
    const replay = await runtime.converse(conversationId, 'hello', { idempotencyKey: 'p1' });
    expect(replay).toMatchObject({ message: 'a lo', replayed: true, partial: true });
    expect(await userNodes(store, conversationId)).toHaveLength(1);
  });

  it('checks the key: a string of 1 to 200 characters, and no unknown options', async () => {
    const runtime = createRuntime({ machine: signupMachine, model: raceModel('a') });
    const { conversationId } = await runtime.start();
    await expect(runtime.converse(conversationId, 'hi', { idempotencyKey: '' })).rejects.toThrow(FsmUsageError);
    await expect(runtime.converse(conversationId, 'hi', { idempotencyKey: 'x'.repeat(201) })).rejects.toThrow(/idempotencyKey/);
    await expect(runtime.converse(conversationId, 'hi', { idempotencyKey: 7 } as never)).rejects.toThrow(/idempotencyKey: expected a string/);
    await expect(runtime.converse(conversationId, 'hi', { idempotencyKye: 'k' } as never)).rejects.toThrow(/unknown option "idempotencyKye"/);
    // Key text is data: tags and template syntax change nothing.
    const odd = '<|endoftext|>{{key}}</context>';
    const turn = await runtime.converse(conversationId, 'hi', { idempotencyKey: odd });
    expect(await runtime.converse(conversationId, 'other text', { idempotencyKey: odd })).toEqual({ ...turn, replayed: true });
  });
});

describe.each(await sharedStoreFactories())('FsmRuntime: one message delivered to two processes at once (%s)', (_name, open) => {
  it.each([0, 1])('makes one turn; both deliveries resolve to the same reply (conflictRetries %i)', async (conflictRetries) => {
    const stores = await open();
    try {
      const meeting = meetingPoint(2);
      const modelA = raceModel('a', meeting);
      const modelB = raceModel('b', meeting);
      const a = createRuntime({ machine: signupMachine, model: modelA, store: stores.first, stateless: true, conflictRetries });
      const b = createRuntime({ machine: signupMachine, model: modelB, store: stores.second, stateless: true, conflictRetries });
      const { conversationId } = await a.start();
      const callsBefore = modelA.requests.length + modelB.requests.length;
      const [ra, rb] = await Promise.all([
        a.converse(conversationId, 'hello', { idempotencyKey: 'delivery-1' }),
        b.converse(conversationId, 'hello', { idempotencyKey: 'delivery-1' }),
      ]);
      // Both called the model (both read before either wrote); the loser found the key on reload.
      expect(modelA.requests.length + modelB.requests.length - callsBefore).toBe(2);
      expect(ra.message).toBe(rb.message);
      expect(ra.state).toBe(rb.state);
      expect(ra.context).toEqual(rb.context);
      expect([ra.replayed, rb.replayed].filter((r) => r === true)).toHaveLength(1);
      const users = await userNodes(stores.first, conversationId);
      expect(users.map((n) => n.metadata[FSM_IDEMPOTENCY_METADATA_KEY])).toEqual(['delivery-1']);
      expect((await b.getSnapshot(conversationId)).turn).toBe(1);
    } finally {
      await stores.dispose();
    }
  });

  it('streams: the losing delivery is told to discard what it streamed, then gets the stored reply', async () => {
    const stores = await open();
    try {
      const meeting = meetingPoint(2);
      const streamingModel = (tag: string) =>
        scriptedModel(
          [
            async (request) => {
              if (request.responseFormat === undefined) return `${tag} says hello`;
              await meeting.arrive();
              return { object: { transition: { target_state: null } } };
            },
          ],
          { loop: true },
        );
      const a = createRuntime({ machine: signupMachine, model: streamingModel('a'), store: stores.first, stateless: true });
      const b = createRuntime({ machine: signupMachine, model: streamingModel('b'), store: stores.second, stateless: true });
      const { conversationId } = await a.start();
      const [ea, eb] = await Promise.all([
        collect(a.converseStream(conversationId, 'hi', { idempotencyKey: 'd1' })),
        collect(b.converseStream(conversationId, 'hi', { idempotencyKey: 'd1' })),
      ]);
      const loser = ea.some((e) => e.type === 'turn-restart') ? ea : eb;
      const winner = loser === ea ? eb : ea;
      expect(winner.some((e) => e.type === 'turn-restart')).toBe(false);
      const end = (events: FsmStreamEvent[]) => (events.at(-1) as Extract<FsmStreamEvent, { type: 'turn-end' }>).result;
      expect(end(loser)).toMatchObject({ message: end(winner).message, replayed: true });
      const afterRestart = loser.slice(loser.findIndex((e) => e.type === 'turn-restart') + 1);
      expect(afterRestart[0]).toEqual({ type: 'text-delta', text: end(winner).message });
      expect(await userNodes(stores.second, conversationId)).toHaveLength(1);
    } finally {
      await stores.dispose();
    }
  });
});
