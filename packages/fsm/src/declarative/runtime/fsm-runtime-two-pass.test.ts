import { MemoryConversationStore } from '@kit/conversations';
import { scriptedModel } from '@kit/llm/testing';
import { describe, expect, it } from 'vitest';
import { analysis, signupMachine } from '../test-support/signup-machine.js';
import { createRuntime, type FsmStreamEvent } from './fsm-runtime.js';

describe('FsmRuntime: two-pass mode', () => {
  it('extracts and proposes in one call, then writes the reply from the new state in a second', async () => {
    const model = scriptedModel(['Hi! Name?', analysis('ask_email', { name: 'Ada' }), 'Nice to meet you, Ada. Your email?']);
    const runtime = createRuntime({ machine: signupMachine, model, mode: 'two-pass' });
    const { conversationId } = await runtime.start();
    const turn = await runtime.converse(conversationId, 'Ada');
    expect(turn).toMatchObject({ state: 'ask_email', message: 'Nice to meet you, Ada. Your email?', context: { name: 'Ada' } });
    const [, first, second] = model.requests;
    expect(first!.responseFormat).toMatchObject({ type: 'json' });
    expect(first!.messages[0]!.content).toContain('"target_state"');
    expect(first!.messages[0]!.content).not.toContain('"message"');
    expect(second!.responseFormat).toBeUndefined();
    expect(second!.messages[0]!.content).toContain('<purpose>Get the email</purpose>');
    expect(second!.messages.at(-1)).toEqual({ role: 'user', content: 'Ada' });
  });
});

describe('FsmRuntime: converseStream', () => {
  async function collect(stream: AsyncIterable<FsmStreamEvent>): Promise<FsmStreamEvent[]> {
    const events: FsmStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    return events;
  }

  it('streams the reply text, then the turn result, and stores the turn', async () => {
    const store = new MemoryConversationStore();
    const reply = 'Thanks, Ada! What email should we use?';
    const model = scriptedModel(['Hi!', analysis('ask_email', { name: 'Ada' }), { text: reply, chunkSize: 5 }]);
    const runtime = createRuntime({ machine: signupMachine, model, store });
    const { conversationId } = await runtime.start();
    const events = await collect(runtime.converseStream(conversationId, 'Ada'));
    const deltas = events.filter((e) => e.type === 'text-delta');
    expect(deltas.length).toBe(Math.ceil(reply.length / 5));
    expect(deltas.map((e) => e.text).join('')).toBe(reply);
    const end = events.at(-1)!;
    expect(end.type).toBe('turn-end');
    expect(end.type === 'turn-end' && end.result).toMatchObject({ message: reply, state: 'ask_email', transitioned: true });
    const stored = (await store.load(conversationId))!;
    expect(stored.nodes.at(-1)!.message.content).toBe(reply);
    expect(stored.nodes.at(-1)!.partial).toBeUndefined();
  });

  it('stores what was written, marked partial, when the consumer stops early', async () => {
    const store = new MemoryConversationStore();
    const model = scriptedModel(['Hi!', analysis('ask_email', { name: 'Ada' }), { text: 'abcdefghijklmnopqrstuvwxyz', chunkSize: 4 }]);
    const runtime = createRuntime({ machine: signupMachine, model, store });
    const { conversationId } = await runtime.start();
    let received = '';
    for await (const event of runtime.converseStream(conversationId, 'Ada')) {
      if (event.type === 'text-delta') received += event.text;
      if (received.length >= 8) break;
    }
    expect(received).toBe('abcdefgh');
    const last = (await store.load(conversationId))!.nodes.at(-1)!;
    expect(last).toMatchObject({ partial: true, message: { role: 'assistant', content: 'abcdefgh' } });
    expect((await runtime.getSnapshot(conversationId)).state).toBe('ask_email');
  });
});
