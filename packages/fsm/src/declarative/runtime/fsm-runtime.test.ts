import { MemoryConversationStore } from '@kit/conversations';
import { scriptedModel } from '@kit/llm/testing';
import { describe, expect, it } from 'vitest';
import { MachineDefinitionError } from '../errors/machine-definition-error.js';
import { FsmSessionError } from '../errors/fsm-session-error.js';
import { FsmUsageError } from '../errors/fsm-usage-error.js';
import { signupMachine, singlePass } from '../test-support/signup-machine.js';
import { createRuntime } from './fsm-runtime.js';

describe('FsmRuntime: single pass', () => {
  it('starts in the initial state with an opening message written from it', async () => {
    const model = scriptedModel(['Hello! What is your name?']);
    const runtime = createRuntime({ machine: signupMachine, model });
    const started = await runtime.start({ locale: 'en' });
    expect(started).toEqual({ conversationId: expect.any(String), message: 'Hello! What is your name?', state: 'ask_name' });
    const [request] = model.requests;
    expect(request!.messages[0]!.content).toContain('<purpose>Get the name</purpose>');
    expect(request!.messages[0]!.content).toContain('You are a brisk clerk.');
    expect(request!.messages.at(-1)!.role).toBe('user');
    expect(request!.responseFormat).toBeUndefined();
    expect((await runtime.getSnapshot(started.conversationId)).context).toEqual({ locale: 'en' });
  });

  it('answers a turn in one call, merging extracted data and taking the proposed transition', async () => {
    const model = scriptedModel(['Hi!', singlePass('Thanks Ada, your email?', 'ask_email', { name: 'Ada' }, 'name given')]);
    const runtime = createRuntime({ machine: signupMachine, model });
    const { conversationId } = await runtime.start();
    const turn = await runtime.converse(conversationId, 'I am Ada');
    expect(turn).toEqual({
      message: 'Thanks Ada, your email?',
      state: 'ask_email',
      previousState: 'ask_name',
      context: { name: 'Ada' },
      transitioned: true,
      transition: { from: 'ask_name', to: 'ask_email', index: 0, priority: 1, description: 'the name is known', automatic: false },
      refusals: [],
      machine: 'signup',
      ended: false,
      reasoning: 'name given',
    });
    expect(model.requests).toHaveLength(2);
    const request = model.requests[1]!;
    expect(request.responseFormat).toMatchObject({ type: 'json', name: 'fsm_reply' });
    expect(request.messages.map((m) => m.role)).toEqual(['system', 'system', 'assistant', 'user']);
    expect(request.messages[1]!.content).toBe('<context>\n{}\n</context>\n<missing_context_keys>name</missing_context_keys>');
    expect(request.messages[3]!.content).toBe('I am Ada');
    expect(request.messages[0]!.content).toContain('- "ask_email": the name is known (only when: needs name)');
  });

  it('keeps the state and records why when the proposed target is not allowed', async () => {
    const model = scriptedModel(['Hi!', singlePass('Done!', 'done'), singlePass('Email?', 'ask_email')]);
    const runtime = createRuntime({ machine: signupMachine, model });
    const { conversationId } = await runtime.start();
    const jump = await runtime.converse(conversationId, 'skip to the end');
    expect(jump.state).toBe('ask_name');
    expect(jump.transitioned).toBe(false);
    expect(jump.refusals).toEqual([{ kind: 'transition', target: 'done', reason: 'not-a-transition', message: '"ask_name" has no transition to "done"' }]);
    const unmet = await runtime.converse(conversationId, 'next please');
    expect(unmet.state).toBe('ask_name');
    expect(unmet.refusals[0]).toMatchObject({ reason: 'conditions-not-met', target: 'ask_email' });
  });

  it('works with models without structured output: the JSON is found in the reply text', async () => {
    const model = scriptedModel(['Hi!', `Sure thing.\n\`\`\`json\n${JSON.stringify({ transition: { target_state: 'help' }, message: 'Let me explain.' })}\n\`\`\``], {
      capabilities: { structuredOutput: 'none' },
    });
    const runtime = createRuntime({ machine: signupMachine, model });
    const { conversationId } = await runtime.start();
    const turn = await runtime.converse(conversationId, 'what is this?');
    expect(turn).toMatchObject({ state: 'help', message: 'Let me explain.' });
    expect(model.requests[1]!.responseFormat).toBeUndefined();
  });

  it('uses replacement prompt templates', async () => {
    const model = scriptedModel(['Hi!', singlePass('ok', null, { name: 'Ada' })]);
    const prompts = { response: 'Greet as {{persona}} in {{state_id}}.', singlePass: 'Decide in {{state_id}}:\n{{transitions}}', context: 'Data: {{context}}' };
    const runtime = createRuntime({ machine: signupMachine, model, prompts });
    const { conversationId } = await runtime.start();
    await runtime.converse(conversationId, 'Ada');
    expect(model.requests[0]!.messages.slice(0, 2).map((m) => m.content)).toEqual(['Greet as a brisk clerk in ask_name.', 'Data: {}']);
    expect(model.requests[1]!.messages[0]!.content).toBe('Decide in ask_name:\n- "ask_email": the name is known (only when: needs name)\n- "help": the user is lost');
    expect(() => createRuntime({ machine: signupMachine, model, prompts: { response: '{{context}}' } })).toThrow(FsmUsageError);
  });

  it('sends settings with every call', async () => {
    const model = scriptedModel(['Hi!', singlePass('ok', null)]);
    const runtime = createRuntime({ machine: signupMachine, model, request: { temperature: 0.2, metadata: { app: 'test' } } });
    const { conversationId } = await runtime.start();
    await runtime.converse(conversationId, 'hello');
    for (const request of model.requests) expect(request).toMatchObject({ temperature: 0.2, metadata: { app: 'test' } });
  });

  it('serialises turns of one conversation', async () => {
    const model = scriptedModel(['Hi!', { ...singlePass('one', 'ask_email', { name: 'Ada' }), latencyMs: 20 }, singlePass('two', null, { email: 'a@b.c' })]);
    const runtime = createRuntime({ machine: signupMachine, model });
    const { conversationId } = await runtime.start();
    const [first, second] = await Promise.all([runtime.converse(conversationId, 'Ada'), runtime.converse(conversationId, 'a@b.c')]);
    expect(first.state).toBe('ask_email');
    expect(second.previousState).toBe('ask_email');
    expect(second.state).toBe('done');
    expect(second.transition?.automatic).toBe(true);
    expect((await runtime.getSnapshot(conversationId)).turn).toBe(2);
  });
});

describe('FsmRuntime: bad input', () => {
  it('never lets a definition with errors reach a conversation', () => {
    const model = scriptedModel([]);
    const broken = { name: 'x', initial_state: 'a', states: { a: { transitions: [{ target_state: 'b' }] } } };
    expect(() => createRuntime({ machine: broken, model })).toThrow(MachineDefinitionError);
  });

  it('refuses bad options and arguments with a typed error naming them', async () => {
    const model = scriptedModel(['Hi!']);
    expect(() => createRuntime({ machine: signupMachine, model: {} as never })).toThrow(/model: must be a LanguageModel/);
    expect(() => createRuntime({ machine: signupMachine, model, mode: 'three-pass' as never })).toThrow(FsmUsageError);
    expect(() => createRuntime({ machine: signupMachine, model, handlers: [{ hook: 'later' as never, run: () => undefined }] })).toThrow(/handlers\.0\.hook/);
    const runtime = createRuntime({ machine: signupMachine, model });
    await expect(runtime.start('nope' as never)).rejects.toThrow(FsmUsageError);
    await expect(runtime.converse('', 'hi')).rejects.toThrow(FsmUsageError);
    await expect(runtime.converse('missing', 'hi')).rejects.toThrow(FsmSessionError);
  });

  it('refuses two machines with the same name', () => {
    const model = scriptedModel([]);
    const copy = createRuntime({ machine: signupMachine, model }).machine;
    expect(copy).toBe(signupMachine);
    expect(() => createRuntime({ machine: signupMachine, model, machines: [createRuntime({ machine: signupMachine.source, model }).machine] })).toThrow(/two machines are named "signup"/);
  });

  it('refuses to start a conversation whose id exists, in memory and in a store', async () => {
    for (const store of [undefined, new MemoryConversationStore()]) {
      const runtime = createRuntime({ machine: signupMachine, model: scriptedModel(['Hi!'], { loop: true }), store });
      await runtime.start({}, { conversationId: 'c1' });
      const error = await runtime.start({}, { conversationId: 'c1' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FsmSessionError);
      expect((error as FsmSessionError).reason).toBe('exists');
    }
  });
});
