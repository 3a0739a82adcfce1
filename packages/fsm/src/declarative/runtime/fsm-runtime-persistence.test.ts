import { ConversationConflictError, ConversationManager, MemoryConversationStore } from '@kit/conversations';
import { scriptedModel } from '@kit/llm/testing';
import { describe, expect, it } from 'vitest';
import { FsmSessionError } from '../errors/fsm-session-error.js';
import { signupMachine, singlePass } from '../test-support/signup-machine.js';
import { createRuntime } from './fsm-runtime.js';
import { FSM_MACHINE_METADATA_KEY, FSM_NODE_METADATA_KEY } from './store-session-backend.js';

describe('FsmRuntime: persistence through a conversation store', () => {
  it('stores every turn: user and reply as nodes, the snapshot in the reply node', async () => {
    const store = new MemoryConversationStore();
    const model = scriptedModel(['Hi! Name?', singlePass('Email?', 'ask_email', { name: 'Ada' })]);
    const runtime = createRuntime({ machine: signupMachine, model, store });
    const { conversationId } = await runtime.start({ source: 'web' });
    await runtime.converse(conversationId, 'Ada');

    const stored = (await store.load(conversationId))!;
    expect(stored.metadata[FSM_MACHINE_METADATA_KEY]).toBe('signup');
    expect(stored.nodes.map((n) => [n.message.role, n.message.content])).toEqual([
      ['system', ''],
      ['assistant', 'Hi! Name?'],
      ['user', 'Ada'],
      ['assistant', 'Email?'],
    ]);
    const reply = stored.nodes.at(-1)!;
    expect(stored.activeNodeId).toBe(reply.id);
    expect(reply.metadata[FSM_NODE_METADATA_KEY]).toEqual({
      snapshot: { machine: 'signup', state: 'ask_email', context: { source: 'web', name: 'Ada' }, stack: [], turn: 1 },
      turn: {
        machine: 'signup',
        previousState: 'ask_name',
        state: 'ask_email',
        transition: { from: 'ask_name', to: 'ask_email', index: 0, priority: 1, description: 'the name is known', automatic: false },
        refusals: [],
      },
    });
    expect(reply.metadata.usage?.inputTokens).toBeGreaterThan(0);
    expect(reply.metadata.provider).toBe('scripted');
  });

  it('resumes a conversation by id in a second runtime over the same store, history included', async () => {
    const store = new MemoryConversationStore();
    const first = createRuntime({ machine: signupMachine, model: scriptedModel(['Hi! Name?', singlePass('Email?', 'ask_email', { name: 'Ada' })]), store });
    const { conversationId } = await first.start();
    await first.converse(conversationId, 'Ada');

    // A new process: a new runtime, a new model, the same store.
    const model = scriptedModel([singlePass('All done, Ada.', 'done', { email: 'ada@example.com' })]);
    const second = createRuntime({ machine: signupMachine.source, model, store });
    const turn = await second.converse(conversationId, 'ada@example.com');
    expect(turn).toMatchObject({ previousState: 'ask_email', state: 'done', ended: true, context: { name: 'Ada', email: 'ada@example.com' } });
    const request = model.requests[0]!;
    expect(request.messages.map((m) => m.content).slice(2)).toEqual(['Hi! Name?', 'Ada', 'Email?', 'ada@example.com']);
    expect(request.messages[1]!.content).toContain('{"name":"Ada"}');
    expect((await second.getSnapshot(conversationId)).turn).toBe(2);
  });

  it('shows the same exchange to a ConversationManager over the store', async () => {
    const store = new MemoryConversationStore();
    const model = scriptedModel(['Hi!', singlePass('Email?', 'ask_email', { name: 'Ada' })]);
    const runtime = createRuntime({ machine: signupMachine, model, store });
    const { conversationId } = await runtime.start();
    await runtime.converse(conversationId, 'Ada');
    const manager = await ConversationManager.resume(conversationId, { model, store });
    expect(manager.history().map((m) => m.content)).toEqual(['Hi!', 'Ada', 'Email?']);
  });

  it('refuses a stale write as a retryable conflict carrying the store\'s error, then recovers by reloading', async () => {
    const store = new MemoryConversationStore();
    const a = createRuntime({ machine: signupMachine, model: scriptedModel(['Hi!', singlePass('a1', null), singlePass('a2', null), singlePass('a2 again', null)]), store });
    const b = createRuntime({ machine: signupMachine, model: scriptedModel([singlePass('b1', 'ask_email', { name: 'Bo' })]), store });
    const { conversationId } = await a.start();
    await a.converse(conversationId, 'hello');
    await b.converse(conversationId, 'Bo');
    // a's copy is one turn behind: its write names an old version and is refused, nothing lost.
    const error = await a.converse(conversationId, 'help me').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FsmSessionError);
    expect(error).toMatchObject({ reason: 'conflict', retryable: true, code: 'fsm/session-conflict' });
    expect((error as FsmSessionError).cause).toBeInstanceOf(ConversationConflictError);
    const retried = await a.converse(conversationId, 'help me');
    expect(retried.previousState).toBe('ask_email');
    const stored = (await store.load(conversationId))!;
    expect(stored.nodes.filter((n) => n.message.role === 'user').map((n) => n.message.content)).toEqual(['hello', 'Bo', 'help me']);
  });

  it('reports a conversation that is not an FSM conversation, or whose snapshot is damaged', async () => {
    const store = new MemoryConversationStore();
    const model = scriptedModel(['plain reply', 'Hi!'], {});
    const manager = await ConversationManager.create({ model, store, id: 'plain' });
    await manager.addMessage('hello');
    await manager.complete();
    const runtime = createRuntime({ machine: signupMachine, model, store });
    const error = await runtime.converse('plain', 'hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FsmSessionError);
    expect((error as FsmSessionError).reason).toBe('corrupt');

    const { conversationId } = await runtime.start();
    const stored = (await store.load(conversationId))!;
    await store.updateMetadata(conversationId, { fsmSnapshot: { nodeId: stored.activeNodeId, snapshot: { machine: 'signup', state: 3 } } }, { expectedVersion: stored.version });
    const fresh = createRuntime({ machine: signupMachine, model, store });
    await expect(fresh.getSnapshot(conversationId)).rejects.toThrow(/does not parse/);
  });

  it('refuses to resume a conversation of a machine the runtime does not know', async () => {
    const store = new MemoryConversationStore();
    const runtime = createRuntime({ machine: signupMachine, model: scriptedModel(['Hi!']), store });
    const { conversationId } = await runtime.start();
    const other = createRuntime({ machine: { ...signupMachine.source, name: 'other' }, model: scriptedModel([]), store });
    const error = await other.converse(conversationId, 'hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FsmSessionError);
    expect((error as FsmSessionError).reason).toBe('unknown-machine');
  });
});
