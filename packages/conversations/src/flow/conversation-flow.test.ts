import { scriptedModel } from '@kit/llm/testing';
import { ConfigPromptLibrary, PromptBuilder } from '@kit/prompts';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConversationManager } from '../manager/conversation-manager.js';
import { MemoryConversationStore } from '../store/memory/memory-conversation-store.js';
import { ConversationFlow, ConversationFlowError, type ConversationFlowDefinition } from './conversation-flow.js';

const promptBuilder = new PromptBuilder({
  library: new ConfigPromptLibrary({
    user: { triage: 'Customer says: {{input}}', refund: 'Handle the refund for: {{input}}', wrap: 'Summarize the case.' },
  }),
});

let store: MemoryConversationStore;
beforeEach(() => {
  store = new MemoryConversationStore();
});

const chatWith = (replies: Parameters<typeof scriptedModel>[0]) => ConversationManager.create({ model: scriptedModel(replies), store, promptBuilder });

describe('ConversationFlow', () => {
  const events: string[] = [];
  const support: ConversationFlowDefinition = {
    name: 'support',
    initial: 'triage',
    states: {
      triage: {
        prompt: 'triage',
        maxLoops: 2,
        onMaxLoops: 'wrap',
        onExit: (run) => void events.push(`exit ${run.state}`),
        transitions: [
          { to: 'refund', when: { keyword: ['refund', 'money back'], on: 'input' } },
          { to: 'wrap', when: { json: { path: 'status', equals: 'resolved' } } },
        ],
      },
      refund: { prompt: 'refund', onEnter: (run) => void events.push(`enter ${run.state}`), transitions: [{ to: 'wrap', when: { regex: /refund (issued|approved)/i } }] },
      wrap: { prompt: 'wrap', waitForInput: false, final: true },
    },
  };

  it('moves on keyword, regex and JSON tests, runs hooks, and saves the run in the conversation', async () => {
    events.length = 0;
    const chat = await chatWith(['Which order?', 'Refund approved.', 'Closed: refund done.']);
    const flow = new ConversationFlow(support);
    const run = await flow.start(chat);
    expect(run.state).toMatchObject({ state: 'triage', status: 'waiting' });

    const first = await run.step('I want my MONEY BACK please');
    expect(first).toMatchObject({ from: 'triage', to: 'refund', reply: 'Which order?' });
    const second = await run.step('order 42');
    expect(second.from).toBe('refund');
    expect(run.done).toBe(true); // refund -> wrap (no input needed, final)
    expect(run.state.path).toEqual(['triage', 'refund', 'wrap']);
    expect(events).toEqual(['exit triage', 'enter refund']);
    expect(chat.history().map((m) => m.content)).toEqual([
      '',
      'Customer says: I want my MONEY BACK please',
      'Which order?',
      'Handle the refund for: order 42',
      'Refund approved.',
      'Summarize the case.',
      'Closed: refund done.',
    ].filter((c) => c !== ''));
    expect((await store.load(chat.id))!.metadata['kit.flow']).toMatchObject({ state: 'wrap', status: 'done' });
    await expect(run.step('more')).rejects.toThrow(ConversationFlowError);
  });

  it('keywords match on word boundaries only', async () => {
    const chat = await chatWith(['ok', 'ok']);
    const run = await new ConversationFlow(support).start(chat);
    await run.step('refunds are boring'); // "refunds" is not the word "refund"
    expect(run.state.state).toBe('triage');
  });

  it('follows onMaxLoops after too many turns, and errors without it', async () => {
    const chat = await chatWith(['a', 'b', 'summary']);
    const run = await new ConversationFlow(support).start(chat);
    await run.step('hello');
    await run.step('hello again');
    expect(run.state.path).toEqual(['triage', 'wrap']);
    expect(run.done).toBe(true);

    const strict = new ConversationFlow({ name: 'strict', initial: 's', states: { s: { maxLoops: 1, transitions: [{ to: 'end', when: { keyword: 'never' } }] }, end: { final: true } } });
    const run2 = await strict.start(await chatWith(['x']));
    await expect(run2.step('hi')).rejects.toThrow(/took 1 turns without a transition/);
  });

  it('resumes a saved run after a restart', async () => {
    const chat = await chatWith(['Which order?']);
    const flow = new ConversationFlow(support);
    const run = await flow.start(chat);
    await run.step('refund please');
    const reopened = await ConversationManager.resume(chat.id, { model: scriptedModel(['Refund issued.', 'Summary.']), store, promptBuilder });
    const resumed = flow.resume(reopened);
    expect(resumed.state).toMatchObject({ state: 'refund', status: 'waiting' });
    await resumed.step('order 7');
    expect(resumed.done).toBe(true);
  });

  it('uses an LLM classifier built once, calling it once per tested text', async () => {
    const classifierModel = scriptedModel(['Billing.', 'other']);
    const flow = new ConversationFlow({
      name: 'routed',
      initial: 'start',
      classifier: { model: classifierModel, labels: ['billing', 'other'] },
      states: {
        start: { transitions: [{ to: 'billing', when: { classifiedAs: 'billing', on: 'input' } }] },
        billing: { final: true },
      },
    });
    const run = await flow.start(await chatWith(['ok']));
    await run.step('my invoice is wrong');
    expect(run.state.state).toBe('billing');
    expect(classifierModel.requests).toHaveLength(1);
    expect(classifierModel.requests[0]!.messages[0]!.content).toContain('- billing');
  });

  it('rejects definitions with unknown states and missing classifiers', () => {
    expect(() => new ConversationFlow({ name: 'x', initial: 'nope', states: {} })).toThrow(/initial state "nope"/);
    expect(() => new ConversationFlow({ name: 'x', initial: 'a', states: { a: { transitions: [{ to: 'b', when: { keyword: 'k' } }] } } })).toThrow(/unknown state "b"/);
    expect(() => new ConversationFlow({ name: 'x', initial: 'a', states: { a: { transitions: [{ to: 'a', when: { classifiedAs: 'k' } }] } } })).toThrow(/no classifier/);
  });
});
