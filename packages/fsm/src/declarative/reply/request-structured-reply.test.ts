import { MemoryConversationStore } from '@kit/conversations';
import { ProviderError } from '@kit/llm';
import { scriptedModel } from '@kit/llm/testing';
import { describe, expect, it } from 'vitest';
import { FsmReplyError } from '../errors/fsm-reply-error.js';
import { createRuntime } from '../runtime/fsm-runtime.js';
import { signupMachine, singlePass } from '../test-support/signup-machine.js';
import { singlePassReplySchema } from './fsm-reply-schema.js';
import { requestStructuredReply } from './request-structured-reply.js';

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('requestStructuredReply', () => {
  it('sends an unusable reply back with what was wrong, and uses the repaired one', async () => {
    const model = scriptedModel(['I think we should move on!', { object: { message: 'ok', transition: { target_state: 'help' } } }]);
    const reply = await requestStructuredReply({ model, request, schema: singlePassReplySchema, maxRepairAttempts: 2 });
    expect(reply.value).toEqual({ message: 'ok', transition: { target_state: 'help' } });
    expect(reply.attempts).toBe(2);
    const repair = model.requests[1]!.messages;
    expect(repair.slice(-2)).toEqual([
      { role: 'assistant', content: 'I think we should move on!' },
      { role: 'user', content: 'Your last reply could not be used: the reply is not a JSON object. Reply again with only the JSON object the instructions describe.' },
    ]);
  });

  it('names the fields that do not match', async () => {
    const model = scriptedModel(['{"transition": {"target_state": 7}}', '{"message": "fine"}'], { capabilities: { structuredOutput: 'none' } });
    const reply = await requestStructuredReply({ model, request, schema: singlePassReplySchema, maxRepairAttempts: 1 });
    expect(reply.value).toEqual({ message: 'fine' });
    expect(model.requests[1]!.messages.at(-1)!.content).toMatch(/transition\.target_state: .*string.*; message: .*string/);
  });

  it('gives up after the bounded number of repairs with a typed error carrying the raw reply', async () => {
    const model = scriptedModel(['nope', 'still nope', 'never']);
    const error = await requestStructuredReply({ model, request, schema: singlePassReplySchema, maxRepairAttempts: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FsmReplyError);
    expect(error).toMatchObject({ code: 'fsm/invalid-reply', rawReply: 'never', attempts: 3 });
    expect(model.requests).toHaveLength(3);
  });

  it('does not retry provider errors', async () => {
    const model = scriptedModel([{ error: 'rate-limit' }, singlePass('unused', null)]);
    await expect(requestStructuredReply({ model, request, schema: singlePassReplySchema, maxRepairAttempts: 2 })).rejects.toBeInstanceOf(ProviderError);
    expect(model.requests).toHaveLength(1);
  });
});

describe('FsmRuntime: unusable replies', () => {
  it('stores nothing for a turn whose reply could not be repaired', async () => {
    const store = new MemoryConversationStore();
    const model = scriptedModel(['Hi!', 'garbage', 'more garbage', singlePass('Email?', 'ask_email', { name: 'Ada' })]);
    const runtime = createRuntime({ machine: signupMachine, model, store, maxRepairAttempts: 1 });
    const { conversationId } = await runtime.start();
    await expect(runtime.converse(conversationId, 'Ada')).rejects.toBeInstanceOf(FsmReplyError);
    expect((await store.load(conversationId))!.nodes).toHaveLength(2);
    expect((await runtime.getSnapshot(conversationId)).state).toBe('ask_name');
    expect((await runtime.converse(conversationId, 'Ada')).state).toBe('ask_email');
  });
});
