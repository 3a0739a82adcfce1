// A user's first program, run by installed-packages.test.ts in a fresh project that installed the
// packed tarballs: typechecked with moduleResolution nodenext and bundler, compiled, then run with
// plain Node. It touches each package's main API and prints one JSON line of what it saw.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CostLedger, ProviderError, costLedger, retry, wrapModel, type CompletionResponse, type LanguageModel, type Message } from '@kit/llm';
import { scriptedModel } from '@kit/llm/testing';
import { renderTemplate } from '@kit/prompts';
import { ConversationManager, MemoryConversationStore } from '@kit/conversations';
import { SqliteConversationStore } from '@kit/conversations/sqlite';
import { createRuntime, defineMachine, type Machine } from '@kit/fsm';

// @kit/llm: a scripted model behind middleware; the first attempt fails and is retried.
const ledger = new CostLedger();
const model: LanguageModel = wrapModel(scriptedModel([{ error: 'rate-limit' }, 'Hello!'], { modelId: 'gpt-4o-mini' }), [
  costLedger(ledger),
  retry({ baseDelayMs: 1 }),
]);
const reply: CompletionResponse = await model.complete({ messages: [{ role: 'user', content: 'Hi' }] });
const isProviderError: boolean = new ProviderError({ kind: 'server', message: 'x', provider: 'y' }) instanceof Error;

// @kit/prompts: a conditional template; the empty section goes.
const prompt: string = renderTemplate('Answer as {{persona}}((, in {{language}})).', { persona: 'a librarian' });

// @kit/conversations: a conversation stored in SQLite, resumed from the file.
const dir = mkdtempSync(join(tmpdir(), 'kit-consumer-'));
let resumedHistory: string[];
try {
  const store = await SqliteConversationStore.open(join(dir, 'chat.db'));
  const chat = await ConversationManager.create({ model: scriptedModel(['BM25 ranks documents by term frequency.']), store, systemPrompt: prompt });
  await chat.addMessage('What is BM25?');
  await chat.complete();
  await store.close();
  const reopened = await SqliteConversationStore.open(join(dir, 'chat.db'));
  const resumed = await ConversationManager.resume(chat.id, { model: scriptedModel([]), store: reopened });
  const history: Message[] = resumed.history();
  resumedHistory = history.map((message) => `${message.role}: ${typeof message.content === 'string' ? message.content : '[parts]'}`);
  await reopened.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// @kit/fsm: a two-state machine; the model's transition is checked by the engine.
const machine: Machine = defineMachine({
  name: 'signup',
  initial_state: 'ask_name',
  states: {
    ask_name: {
      purpose: 'Get the name',
      required_context_keys: ['name'],
      transitions: [{ target_state: 'done', description: 'the name is known' }],
    },
    done: { purpose: 'Thank the user' },
  },
});
const runtime = createRuntime({
  machine,
  model: scriptedModel(['What is your name?', { object: { transition: { target_state: 'done', context_update: { name: 'Ada' } }, message: 'Thanks, Ada!' } }]),
  store: new MemoryConversationStore(),
});
const { conversationId } = await runtime.start();
const turn = await runtime.converse(conversationId, 'I am Ada.');

console.log(
  JSON.stringify({
    reply: reply.text,
    ledgerCalls: ledger.totals().calls,
    isProviderError,
    prompt,
    resumedHistory,
    fsm: { state: turn.state, name: turn.context['name'], message: turn.message },
  }),
);
