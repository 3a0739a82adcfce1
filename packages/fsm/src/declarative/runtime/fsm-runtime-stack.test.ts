import { MemoryConversationStore } from '@kit/conversations';
import { scriptedModel } from '@kit/llm/testing';
import { describe, expect, it } from 'vitest';
import { defineMachine } from '../definition/define-machine.js';
import { FsmSessionError } from '../errors/fsm-session-error.js';
import { FsmUsageError } from '../errors/fsm-usage-error.js';
import { signupMachine, singlePass } from '../test-support/signup-machine.js';
import { createRuntime } from './fsm-runtime.js';

const addressMachine = defineMachine({
  name: 'address',
  initial_state: 'ask_street',
  states: {
    ask_street: {
      purpose: 'Get the street',
      required_context_keys: ['street'],
      transitions: [{ target_state: 'confirmed', conditions: [{ requires_context_keys: ['street'] }] }],
    },
    confirmed: { purpose: 'Confirm the address' },
  },
});

describe('FsmRuntime: stacked machines', () => {
  it('pushes a sub-machine with a context mapping, runs it, and pops back with its results merged', async () => {
    const store = new MemoryConversationStore();
    const model = scriptedModel([
      'Hi! Name?',
      singlePass('Email?', 'ask_email', { name: 'Ada' }),
      'Ada, which street do you live on?',
      singlePass('Got it.', null, { street: '1 Main St' }),
      'Back to your email, Ada.',
    ]);
    const runtime = createRuntime({ machine: signupMachine, model, store, machines: [addressMachine] });
    const { conversationId } = await runtime.start();
    await runtime.converse(conversationId, 'Ada');

    const pushed = await runtime.pushMachine(conversationId, 'address', { context: { person: 'name' }, returnContext: ['street'] });
    expect(pushed).toEqual({ machine: 'address', state: 'ask_street', context: { person: 'Ada' }, message: 'Ada, which street do you live on?' });
    expect(model.requests[2]!.messages[0]!.content).toContain('<purpose>Get the street</purpose>');

    const turn = await runtime.converse(conversationId, '1 Main St');
    expect(turn).toMatchObject({ machine: 'address', state: 'confirmed', ended: true, context: { person: 'Ada', street: '1 Main St' } });

    // A new runtime over the same store resumes inside the sub-machine and pops it.
    const resumed = createRuntime({ machine: signupMachine, model, store, machines: [addressMachine] });
    const popped = await resumed.popMachine(conversationId);
    expect(popped).toEqual({ machine: 'signup', state: 'ask_email', context: { name: 'Ada', street: '1 Main St' }, message: 'Back to your email, Ada.' });
    expect(await resumed.getSnapshot(conversationId)).toMatchObject({ machine: 'signup', state: 'ask_email', stack: [] });
  });

  it('changes the stack without a message when asked, and stores it', async () => {
    const store = new MemoryConversationStore();
    const model = scriptedModel(['Hi!']);
    const runtime = createRuntime({ machine: signupMachine, model, store, machines: [addressMachine] });
    const { conversationId } = await runtime.start({ name: 'Ada' });
    const pushed = await runtime.pushMachine(conversationId, 'address', { greet: false });
    expect(pushed).toEqual({ machine: 'address', state: 'ask_street', context: {} });
    const fresh = createRuntime({ machine: signupMachine, model, store, machines: [addressMachine] });
    expect((await fresh.getSnapshot(conversationId)).stack).toEqual([{ machine: 'signup', state: 'ask_name', context: { name: 'Ada' }, returnContext: null }]);
    expect((await fresh.popMachine(conversationId, { greet: false })).context).toEqual({ name: 'Ada' });
  });

  it('refuses to push an unknown machine or to pop with nothing pushed', async () => {
    const runtime = createRuntime({ machine: signupMachine, model: scriptedModel(['Hi!']) });
    const { conversationId } = await runtime.start();
    await expect(runtime.pushMachine(conversationId, 'address')).rejects.toBeInstanceOf(FsmUsageError);
    const error = await runtime.popMachine(conversationId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FsmSessionError);
    expect((error as FsmSessionError).reason).toBe('stack-empty');
  });
});
