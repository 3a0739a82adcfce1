import { MemoryConversationStore, type ConversationStore } from '@kit/conversations';
import { describe, expect, it } from 'vitest';
import { FsmSessionError } from '../errors/fsm-session-error.js';
import { FsmUsageError } from '../errors/fsm-usage-error.js';
import { signupMachine } from '../test-support/signup-machine.js';
import { createRuntime } from './fsm-runtime.js';
import { meetingPoint, raceModel } from './test-support/race-model.js';
import { sharedStoreFactories } from './test-support/shared-conversation-stores.js';

/** A store that counts `load` calls: how often a runtime went to the store for a conversation. */
function countingLoads(store: ConversationStore): { store: ConversationStore; loads: () => number } {
  let loads = 0;
  const counting: ConversationStore = {
    create: (input) => store.create(input),
    appendNodes: (id, input) => store.appendNodes(id, input),
    setActiveNode: (id, nodeId, options) => store.setActiveNode(id, nodeId, options),
    updateMetadata: (id, patch, options) => store.updateMetadata(id, patch, options),
    load: (id) => {
      loads++;
      return store.load(id);
    },
    list: (options) => store.list(options),
    search: (text, options) => store.search(text, options),
    delete: (id) => store.delete(id),
    close: () => store.close(),
  };
  return { store: counting, loads: () => loads };
}

const userTexts = async (store: ConversationStore, id: string) =>
  (await store.load(id))!.nodes.filter((n) => n.message.role === 'user').map((n) => n.message.content);

describe('FsmRuntime: stateless mode (several processes over one store)', () => {
  it('loads the conversation on every turn and keeps nothing between turns; the cache mode loads once', async () => {
    const memory = new MemoryConversationStore();
    const stateless = countingLoads(memory);
    const runtime = createRuntime({ machine: signupMachine, model: raceModel('a'), store: stateless.store, stateless: true });
    const { conversationId } = await runtime.start();
    for (const text of ['one', 'two', 'three']) await runtime.converse(conversationId, text);
    expect(stateless.loads()).toBe(3);
    await runtime.getSnapshot(conversationId);
    expect(stateless.loads()).toBe(4);

    const cached = countingLoads(memory);
    const cachingRuntime = createRuntime({ machine: signupMachine, model: raceModel('b'), store: cached.store });
    for (const text of ['four', 'five']) await cachingRuntime.converse(conversationId, text);
    expect(cached.loads()).toBe(1);
    // maxCachedConversations: 0 is the same mode under its older name.
    const zero = countingLoads(memory);
    const zeroRuntime = createRuntime({ machine: signupMachine, model: raceModel('c'), store: zero.store, maxCachedConversations: 0 });
    for (const text of ['six', 'seven']) await zeroRuntime.converse(conversationId, text);
    expect(zero.loads()).toBe(2);
  });

  it('continues from what another runtime wrote between its turns, with no conflict', async () => {
    const store = new MemoryConversationStore();
    const a = createRuntime({ machine: signupMachine, model: raceModel('a'), store, stateless: true });
    const b = createRuntime({ machine: signupMachine, model: raceModel('b'), store, stateless: true });
    const { conversationId } = await a.start();
    await a.converse(conversationId, 'one');
    await b.converse(conversationId, 'two');
    const third = await a.converse(conversationId, 'three');
    expect(third.context).toEqual({ _extra: { heard: 'three' } });
    expect(await userTexts(store, conversationId)).toEqual(['one', 'two', 'three']);
    expect((await a.getSnapshot(conversationId)).turn).toBe(3);
  });

  it('refuses stateless together with a cache size', () => {
    expect(() => createRuntime({ machine: signupMachine, model: raceModel('a'), store: new MemoryConversationStore(), stateless: true, maxCachedConversations: 5 })).toThrow(
      FsmUsageError,
    );
    expect(() => createRuntime({ machine: signupMachine, model: raceModel('a'), conflictRetries: -1 })).toThrow(/conflictRetries/);
  });
});

describe.each(await sharedStoreFactories())('FsmRuntime: two processes race on one conversation (%s)', (_name, open) => {
  it('lets one turn win; the other gets a retryable conflict and stores nothing', async () => {
    const stores = await open();
    try {
      const meeting = meetingPoint(2);
      const a = createRuntime({ machine: signupMachine, model: raceModel('a', meeting), store: stores.first, stateless: true });
      const b = createRuntime({ machine: signupMachine, model: raceModel('b', meeting), store: stores.second, stateless: true });
      const { conversationId } = await a.start();
      const results = await Promise.allSettled([a.converse(conversationId, 'from a'), b.converse(conversationId, 'from b')]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toBeInstanceOf(FsmSessionError);
      expect(lost[0]!.reason).toMatchObject({ reason: 'conflict', retryable: true });
      const stored = await userTexts(stores.first, conversationId);
      expect(stored).toHaveLength(1);

      // The loser retries (as its caller would): from the fresh state, after the winner's turn.
      const loserText = stored[0] === 'from a' ? 'from b' : 'from a';
      const loser = loserText === 'from a' ? a : b;
      const retried = await loser.converse(conversationId, loserText);
      expect(retried.context).toEqual({ _extra: { heard: loserText } });
      expect(await userTexts(stores.second, conversationId)).toEqual([stored[0], loserText]);
      expect((await a.getSnapshot(conversationId)).turn).toBe(2);
    } finally {
      await stores.dispose();
    }
  });

  it('with conflictRetries, re-runs the losing turn itself from the fresh state: both turns stored, in order', async () => {
    const stores = await open();
    try {
      const meeting = meetingPoint(2);
      const modelA = raceModel('a', meeting);
      const modelB = raceModel('b', meeting);
      const a = createRuntime({ machine: signupMachine, model: modelA, store: stores.first, stateless: true, conflictRetries: 1 });
      const b = createRuntime({ machine: signupMachine, model: modelB, store: stores.second, stateless: true, conflictRetries: 1 });
      const { conversationId } = await a.start();
      const calls = modelA.requests.length;
      const [ra, rb] = await Promise.all([a.converse(conversationId, 'from a'), b.converse(conversationId, 'from b')]);
      expect(ra.message).toBe('a heard "from a"');
      expect(rb.message).toBe('b heard "from b"');
      const stored = await userTexts(stores.first, conversationId);
      expect([...stored].sort()).toEqual(['from a', 'from b']);
      // The loser called its model twice, the second time with the winner's exchange in its history.
      const aCalls = modelA.requests.length - calls;
      const bCalls = modelB.requests.length;
      expect(aCalls + bCalls).toBe(3);
      const loserModel = aCalls === 2 ? modelA : modelB;
      const retryRequest = loserModel.requests.at(-1)!;
      expect(retryRequest.messages.map((m) => m.content)).toContain(stored[0]);
      const snapshot = await b.getSnapshot(conversationId);
      expect(snapshot).toMatchObject({ turn: 2, context: { _extra: { heard: stored[1] } } });
    } finally {
      await stores.dispose();
    }
  });
});
