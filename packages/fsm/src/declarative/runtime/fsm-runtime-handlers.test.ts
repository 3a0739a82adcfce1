import { MemoryConversationStore } from '@kit/conversations';
import { scriptedModel } from '@kit/llm/testing';
import { describe, expect, it } from 'vitest';
import { FsmHandlerError } from '../errors/fsm-handler-error.js';
import { FsmReplyError } from '../errors/fsm-reply-error.js';
import { signupMachine, singlePass } from '../test-support/signup-machine.js';
import type { FsmHandler, FsmHookEvent } from './fsm-handler.js';
import { FSM_HOOKS } from './fsm-handler.js';
import { createRuntime } from './fsm-runtime.js';

describe('FsmRuntime: handlers', () => {
  it('runs each hook at its point of the turn, with what that point knows', async () => {
    const seen: Array<Pick<FsmHookEvent, 'hook' | 'state' | 'targetState' | 'previousState' | 'updatedKeys' | 'message' | 'userText'>> = [];
    const recorder: FsmHandler = {
      hook: FSM_HOOKS,
      run: ({ hook, state, targetState, previousState, updatedKeys, message, userText }) => void seen.push({ hook, state, targetState, previousState, updatedKeys, message, userText }),
    };
    const model = scriptedModel(['Hi!', singlePass('Email?', 'ask_email', { name: 'Ada' }), singlePass('Bye!', 'done', { email: 'a@b.c' })]);
    const runtime = createRuntime({ machine: signupMachine, model, handlers: [recorder] });
    const { conversationId } = await runtime.start();
    await runtime.converse(conversationId, 'Ada');
    await runtime.converse(conversationId, 'a@b.c');
    const strip = (e: Record<string, unknown>) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined));
    expect(seen.map(strip)).toEqual([
      { hook: 'start', state: 'ask_name' },
      { hook: 'pre-processing', state: 'ask_name', userText: 'Ada' },
      { hook: 'context-update', state: 'ask_name', userText: 'Ada', updatedKeys: ['name'] },
      { hook: 'pre-transition', state: 'ask_name', userText: 'Ada', targetState: 'ask_email' },
      { hook: 'post-transition', state: 'ask_email', userText: 'Ada', previousState: 'ask_name' },
      { hook: 'post-processing', state: 'ask_email', userText: 'Ada', message: 'Email?' },
      { hook: 'pre-processing', state: 'ask_email', userText: 'a@b.c' },
      { hook: 'context-update', state: 'ask_email', userText: 'a@b.c', updatedKeys: ['email'] },
      { hook: 'pre-transition', state: 'ask_email', userText: 'a@b.c', targetState: 'done' },
      { hook: 'post-transition', state: 'done', userText: 'a@b.c', previousState: 'ask_email' },
      { hook: 'end', state: 'done', userText: 'a@b.c', previousState: 'ask_email' },
      { hook: 'post-processing', state: 'done', userText: 'a@b.c', message: 'Bye!' },
    ]);
  });

  it('lets a context-update handler compute keys the conditions test, before the transition is decided', async () => {
    const fullName: FsmHandler = {
      hook: 'context-update',
      name: 'full name',
      run: ({ context }) => {
        const extra = context['_extra'] as { first?: string; last?: string } | undefined;
        if (extra?.first && extra.last) return { name: `${extra.first} ${extra.last}`, _extra: undefined };
        return undefined;
      },
    };
    const model = scriptedModel(['Hi!', singlePass('Email?', null, { first: 'Ada', last: 'Lovelace' })]);
    const runtime = createRuntime({ machine: signupMachine, model, handlers: [fullName] });
    const { conversationId } = await runtime.start();
    const turn = await runtime.converse(conversationId, 'Ada Lovelace');
    expect(turn.context).toEqual({ name: 'Ada Lovelace' });
    expect(turn.transition).toMatchObject({ to: 'ask_email', automatic: true });
  });

  it('runs handlers limited to states only there, and each sees the changes of the one before', async () => {
    const order: string[] = [];
    const handlers: FsmHandler[] = [
      { hook: 'pre-processing', name: 'count', run: ({ context }) => ({ _turns: ((context['_turns'] as number) ?? 0) + 1 }) },
      { hook: 'pre-processing', name: 'email only', states: ['ask_email'], run: () => void order.push('email only') },
      { hook: 'pre-processing', name: 'read', run: ({ context }) => void order.push(`turns=${String(context['_turns'])}`) },
    ];
    const model = scriptedModel(['Hi!', singlePass('Email?', 'ask_email', { name: 'Ada' }), singlePass('Hm?', null)]);
    const runtime = createRuntime({ machine: signupMachine, model, handlers });
    const { conversationId } = await runtime.start();
    await runtime.converse(conversationId, 'Ada');
    const turn = await runtime.converse(conversationId, 'what?');
    expect(order).toEqual(['turns=1', 'email only', 'turns=2']);
    expect(turn.context['_turns']).toBe(2);
  });

  it('turns a throwing handler into FsmHandlerError and stores nothing of the turn', async () => {
    const store = new MemoryConversationStore();
    const boom: FsmHandler = { hook: 'post-transition', name: 'boom', run: () => { throw new Error('kaput'); } };
    const model = scriptedModel(['Hi!', singlePass('Email?', 'ask_email', { name: 'Ada' })]);
    const runtime = createRuntime({ machine: signupMachine, model, store, handlers: [boom] });
    const { conversationId } = await runtime.start();
    const error = await runtime.converse(conversationId, 'Ada').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FsmHandlerError);
    expect(error).toMatchObject({ hook: 'post-transition', handlerName: 'boom', message: 'The post-transition handler "boom" failed: kaput' });
    expect((await store.load(conversationId))!.nodes).toHaveLength(2);
  });

  it('runs error handlers with the error; their context changes are stored, the failed turn is not', async () => {
    const store = new MemoryConversationStore();
    const errors: unknown[] = [];
    const onError: FsmHandler = {
      hook: 'error',
      run: ({ error, context }) => {
        errors.push(error);
        return { _failures: ((context['_failures'] as number) ?? 0) + 1 };
      },
    };
    const model = scriptedModel(['Hi!', 'not json', 'still not json']);
    const runtime = createRuntime({ machine: signupMachine, model, store, handlers: [onError], maxRepairAttempts: 1 });
    const { conversationId } = await runtime.start();
    await expect(runtime.converse(conversationId, 'Ada')).rejects.toBeInstanceOf(FsmReplyError);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(FsmReplyError);
    // A new runtime over the store sees the handler's change.
    const fresh = createRuntime({ machine: signupMachine, model: scriptedModel([]), store });
    expect((await fresh.getSnapshot(conversationId)).context).toEqual({ _failures: 1 });
  });

  it('refuses a handler result that is not an object of changes', async () => {
    const bad: FsmHandler = { hook: 'pre-processing', name: 'bad', run: () => 'yes' as never };
    const runtime = createRuntime({ machine: signupMachine, model: scriptedModel(['Hi!', singlePass('x', null)]), handlers: [bad] });
    const { conversationId } = await runtime.start();
    await expect(runtime.converse(conversationId, 'hi')).rejects.toThrow(/a handler returns an object of context changes/);
  });
});
