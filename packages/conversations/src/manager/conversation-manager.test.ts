import type { ConversationStore } from '../store/conversation-store.js';
import { ProviderError, type LanguageModel } from '@kit/llm';
import { scriptedModel } from '@kit/llm/testing';
import { ConfigPromptLibrary, PromptBuilder } from '@kit/prompts';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConversationConflictError } from '../store/conversation-errors.js';
import { MemoryConversationStore } from '../store/memory/memory-conversation-store.js';
import { ConversationResponseRejectedError, redactConversation, responseValidator } from './built-in-middleware.js';
import { ConversationManager, ConversationUsageError } from './conversation-manager.js';

let store: ConversationStore;

beforeEach(() => {
  store = new MemoryConversationStore();
});

const model = (replies: Parameters<typeof scriptedModel>[0]) => scriptedModel(replies, { provider: 'openai', modelId: 'gpt-4o-mini' });

describe('ConversationManager', () => {
  it('adds messages and replies on the active path and stores every step', async () => {
    const chat = await ConversationManager.create({ model: model(['Hi! How can I help?']), store, systemPrompt: 'Be brief.', metadata: { user: 'u1' } });
    await chat.addMessage('Hello');
    const { node, response } = await chat.complete();
    expect(response.text).toBe('Hi! How can I help?');
    expect(node.metadata.usage?.outputTokens).toBeGreaterThan(0);
    expect(node.metadata.costUsd).toBeGreaterThan(0);
    expect(chat.history()).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi! How can I help?' },
    ]);
    const stored = await store.load(chat.id);
    expect(stored?.nodes).toHaveLength(3);
    expect(stored?.activeNodeId).toBe(node.id);
    expect(stored?.version).toBe(chat.version);
    const resumed = await ConversationManager.resume(chat.id, { model: model([]), store });
    expect(resumed.history()).toEqual(chat.history());
  });

  it('regenerates and edits as siblings, keeps both branches, and switches by address', async () => {
    const chat = await ConversationManager.create({ model: model(['first', 'second']), store });
    const question = await chat.addMessage('Q');
    const first = (await chat.complete()).node;
    const second = (await chat.regenerate()).node;
    expect(chat.addressOf(first.id)).toBe('0.0');
    expect(chat.addressOf(second.id)).toBe('0.1');
    expect(chat.history().at(-1)).toEqual({ role: 'assistant', content: 'second' });
    await chat.switchTo('0.0');
    expect(chat.history().at(-1)).toEqual({ role: 'assistant', content: 'first' });
    const edited = await chat.edit(question.id, 'Q, rephrased');
    expect(chat.addressOf(edited.id)).toBe('1');
    expect(chat.history()).toEqual([{ role: 'user', content: 'Q, rephrased' }]);
    expect(chat.branches()).toHaveLength(3);
    const stored = await store.load(chat.id);
    expect(stored?.activeNodeId).toBe(edited.id);
    await expect(chat.regenerate(question.id)).rejects.toThrow(ConversationUsageError);
  });

  it('stores a stream when it ends, and a partial one when the consumer stops early', async () => {
    const chat = await ConversationManager.create({ model: model(['a fairly long streamed answer', 'another long streamed answer']), store });
    await chat.addMessage('go');
    const parts = [];
    for await (const part of chat.stream()) parts.push(part);
    expect(chat.activeNode.message).toEqual({ role: 'assistant', content: 'a fairly long streamed answer' });
    expect(chat.activeNode.partial).toBeUndefined();

    await chat.addMessage('again');
    for await (const part of chat.stream()) {
      if (part.type === 'text-delta') break; // stop after the first delta
    }
    const partial = chat.activeNode;
    expect(partial.partial).toBe(true);
    expect(partial.message.role).toBe('assistant');
    expect((partial.message.content as string).length).toBeGreaterThan(0);
    expect('another long streamed answer'.startsWith(partial.message.content as string)).toBe(true);
    expect((await store.load(chat.id))?.nodes.find((n) => n.id === partial.id)?.partial).toBe(true);
  });

  it('stores what arrived, flagged partial, when a stream fails midway; nothing when it fails at once', async () => {
    const base = model([]);
    const failAfter = (deltas: string[]): LanguageModel => ({
      ...base,
      provider: base.provider,
      modelId: base.modelId,
      capabilities: base.capabilities,
      complete: base.complete.bind(base),
      embed: base.embed.bind(base),
      countTokens: base.countTokens.bind(base),
      async *stream() {
        for (const text of deltas) yield { type: 'text-delta', text } as const;
        throw new ProviderError({ kind: 'server', message: 'connection reset', provider: 'openai' });
      },
    });
    const chat = await ConversationManager.create({ model: failAfter(['half ', 'of it']), store });
    await chat.addMessage('go');
    const consume = async (m: ConversationManager) => {
      for await (const _ of m.stream()) void _;
    };
    await expect(consume(chat)).rejects.toThrow(/connection reset/);
    const reply = (await store.load(chat.id))!.nodes.at(-1)!;
    expect(reply).toMatchObject({ partial: true, message: { role: 'assistant', content: 'half of it' } });

    const early = await ConversationManager.create({ model: failAfter([]), store });
    await early.addMessage('go');
    await expect(consume(early)).rejects.toThrow(/connection reset/);
    expect((await store.load(early.id))!.nodes).toHaveLength(2);
  });

  it('refuses a stale write with a conflict and keeps its in-memory tree as stored', async () => {
    const a = await ConversationManager.create({ model: model(['x']), store });
    const b = await ConversationManager.resume(a.id, { model: model(['y']), store });
    await a.addMessage('from a');
    await expect(b.addMessage('from b')).rejects.toThrow(ConversationConflictError);
    expect(b.history()).toEqual([]);
    expect((await store.load(a.id))!.nodes.map((n) => n.message.content)).toEqual(['', 'from a']);
  });

  it('forks into an independent conversation', async () => {
    const chat = await ConversationManager.create({ model: model(['one', 'two']), store, metadata: { tag: 't' } });
    await chat.addMessage('q');
    await chat.complete();
    const fork = await chat.fork();
    expect(fork.id).not.toBe(chat.id);
    expect(fork.history()).toEqual(chat.history());
    expect(fork.metadata).toMatchObject({ tag: 't', forkedFrom: chat.id });
    await fork.addMessage('only in the fork');
    expect(chat.history()).toHaveLength(2);
    expect((await store.load(chat.id))!.nodes).toHaveLength(3);
  });

  it('keeps tool calls and their results as pairs on the path', async () => {
    const chat = await ConversationManager.create({
      model: model([{ toolCalls: [{ id: 'call_1', name: 'weather', arguments: { city: 'Oslo' } }] }, 'It is sunny.']),
      store,
    });
    await chat.addMessage('Weather in Oslo?');
    const { node } = await chat.complete();
    expect(node.message.role === 'assistant' && node.message.toolCalls?.[0]?.name).toBe('weather');
    await chat.addToolResult('call_1', '{"sky":"clear"}');
    await chat.complete();
    expect(chat.history().map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(chat.history()[2]).toMatchObject({ role: 'tool', toolCallId: 'call_1', toolName: 'weather' });
    await expect(chat.addToolResult('call_9', 'x')).rejects.toThrow(/no tool call "call_9"/);
  });

  it('sums usage and cost on the active path and on abandoned branches', async () => {
    const chat = await ConversationManager.create({ model: model(['a', 'b']), store });
    await chat.addMessage('q');
    await chat.complete();
    await chat.regenerate();
    const { activePath, abandoned } = chat.usage();
    expect(activePath.calls).toBe(1);
    expect(abandoned.calls).toBe(1);
    expect(activePath.costUsd).toBeGreaterThan(0);
    expect(activePath.usage.inputTokens).toBeGreaterThan(0);
  });

  it('renders the system prompt and user messages from a prompt library', async () => {
    const promptBuilder = new PromptBuilder({
      library: new ConfigPromptLibrary({ system: { support: 'You support {{product}}.' }, user: { ask: 'Question: {{q}}' } }),
    });
    const chat = await ConversationManager.create({ model: model(['ok']), store, promptBuilder, systemPromptName: 'support', params: { product: 'Kit' } });
    const user = await chat.addMessage({ promptName: 'ask', params: { q: '{{product}} ((x))' } });
    expect(user.promptName).toBe('ask');
    expect(chat.history()).toEqual([
      { role: 'system', content: 'You support Kit.' },
      { role: 'user', content: 'Question: {{product}} ((x))' },
    ]);
    await expect((await ConversationManager.create({ model: model([]), store })).addMessage({ promptName: 'ask' })).rejects.toThrow(ConversationUsageError);
  });

  it('caches RAG results per conversation: the same prompt and query retrieve once', async () => {
    let searches = 0;
    const kb = {
      name: 'kb',
      async search() {
        searches++;
        return [{ id: 'doc', content: 'Reset from the login page.', score: 1, metadata: {} }];
      },
    };
    const promptBuilder = new PromptBuilder({
      library: new ConfigPromptLibrary({ user: { ask: { template: '{{DOCS}}\nQ: {{q}}', rag: [{ adapter: 'kb', query: '{{q}}', placeholder: 'DOCS' }] } } }),
      adapters: { kb },
    });
    const chat = await ConversationManager.create({ model: model(['a', 'b']), store, promptBuilder });
    const first = await chat.addMessage({ promptName: 'ask', params: { q: 'reset?' } });
    expect(first.metadata.rag).toEqual([{ adapter: 'kb', query: 'reset?', items: ['doc'] }]);
    await chat.complete();
    await chat.addMessage({ promptName: 'ask', params: { q: 'reset?' } });
    expect(searches).toBe(1);
    const other = await ConversationManager.create({ model: model([]), store, promptBuilder });
    await other.addMessage({ promptName: 'ask', params: { q: 'reset?' } });
    expect(searches).toBe(2); // another conversation has its own cache
  });

  it('applies middleware: redaction before storage (streamed text too), and a structured validator', async () => {
    const secret = 'sk-live-0123456789abcdefghijklmnop';
    const chat = await ConversationManager.create({
      // One delta per reply: a secret split across deltas is caught before storage, not on screen.
      model: scriptedModel([`your key is ${secret}`, `again ${secret}`], { provider: 'openai', modelId: 'gpt-4o-mini', chunkSize: 1_000 }),
      store,
      middleware: [redactConversation({ secrets: [secret] })],
    });
    await chat.addMessage('key?');
    await chat.complete();
    expect(JSON.stringify(await store.load(chat.id))).not.toContain(secret);
    await chat.addMessage('again?');
    let shown = '';
    for await (const part of chat.stream()) if (part.type === 'text-delta') shown += part.text;
    expect(shown).toBe('again [REDACTED]');
    expect(JSON.stringify(await store.load(chat.id))).not.toContain(secret);

    const strict = await ConversationManager.create({
      model: model(['not json']),
      store,
      middleware: [
        responseValidator((m) => {
          try {
            JSON.parse(m.content);
            return { ok: true };
          } catch {
            return { ok: false, issues: ['reply is not JSON'] };
          }
        }),
      ],
    });
    await strict.addMessage('json please');
    const error = await strict.complete().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConversationResponseRejectedError);
    expect((error as ConversationResponseRejectedError).issues).toEqual(['reply is not JSON']);
    expect((await store.load(strict.id))!.nodes).toHaveLength(2);
  });

  it('drops the oldest turns to fit the budget without splitting a tool call from its result, and never touches stored nodes', async () => {
    const replies = [{ toolCalls: [{ id: 'c1', name: 'lookup', arguments: {} }] }, 'first answer', 'second answer', 'third answer'];
    const scripted = model(replies as never);
    const chat = await ConversationManager.create({ model: scripted, store, systemPrompt: 'sys', contextBudget: { maxTokens: 60 } });
    await chat.addMessage('a long first question '.repeat(5));
    await chat.complete();
    await chat.addToolResult('c1', 'tool output '.repeat(5));
    await chat.complete();
    await chat.addMessage('second question');
    const { budget } = await chat.complete();
    expect(budget.dropped).toBeGreaterThan(0);
    const sent = scripted.requests.at(-1)!.messages;
    expect(sent[0]).toEqual({ role: 'system', content: 'sys' });
    // A tool result is never sent without the assistant message that called it.
    sent.forEach((m, i) => {
      if (m.role === 'tool') expect(sent[i - 1]?.role === 'assistant' || sent[i - 1]?.role === 'tool').toBe(true);
    });
    expect(sent.at(-1)).toEqual({ role: 'user', content: 'second question' });
    expect((await store.load(chat.id))!.nodes).toHaveLength(7);
  });
});
