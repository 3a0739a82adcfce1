import { MemoryConversationStore } from '@kit/conversations';
import { OPENING_USER_MESSAGE, createRuntime } from '@kit/fsm';
import { scriptedModel } from '@kit/llm/testing';
import { describe, expect, it } from 'vitest';
import { orderLookupHandler } from './order-lookup-handler.js';
import { issueIn, scriptedSupportAgent, viewFsmRequest } from './scripted-support-agent.js';
import { loadSupportDeskMachine } from './support-desk-machine.js';

describe('the scripted support agent', () => {
  it('reads the state, the context and the customer from real runtime requests and walks a case to the end', async () => {
    const model = scriptedModel([scriptedSupportAgent(OPENING_USER_MESSAGE)], { loop: true });
    const runtime = createRuntime({ machine: await loadSupportDeskMachine(), model, store: new MemoryConversationStore(), handlers: [orderLookupHandler()], mode: 'two-pass' });
    const { conversationId, message } = await runtime.start();
    expect(message).toContain('How can I help');
    const states: string[] = [];
    for (const line of ['My down sleeping bag arrived damaged.', 'It is a-1004', 'Yes.', 'A refund, please.']) {
      states.push((await runtime.converse(conversationId, line)).state);
    }
    expect(states).toEqual(['identify', 'diagnose', 'resolve', 'closed']);

    const decision = model.requests.find((r) => r.responseFormat !== undefined && JSON.stringify(r.messages).includes('a-1004'))!;
    const view = viewFsmRequest(decision, OPENING_USER_MESSAGE);
    expect(view).toMatchObject({ state: 'identify', userText: 'It is a-1004', wantsDecision: true, context: { issue: 'damaged' } });
    const opening = viewFsmRequest(model.requests[0]!, OPENING_USER_MESSAGE);
    expect(opening).toMatchObject({ state: 'greeting', userText: '', wantsDecision: false });
  });

  it('refuses a request that does not come from the runtime', () => {
    expect(() => viewFsmRequest({ messages: [{ role: 'user', content: 'hi' }] }, OPENING_USER_MESSAGE)).toThrow(/not from the FSM runtime/);
  });

  it('recognises issues by keywords, damage before lateness', () => {
    expect(issueIn('My parcel still hasn\'t arrived')).toBe('late');
    expect(issueIn('It arrived damaged')).toBe('damaged');
    expect(issueIn('I got the wrong size')).toBe('wrong_item');
    expect(issueIn("It's something else")).toBe('other');
    expect(issueIn('Hello')).toBeUndefined();
  });
});
