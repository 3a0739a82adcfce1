import { describe, expect, it } from 'vitest';
import { MissingParametersError, RagError, TemplateNotFoundError } from '../errors/prompt-error.js';
import { ConfigPromptLibrary } from '../library/config-prompt-library.js';
import type { ResourceAdapter, ResourceItem } from '../rag/index.js';
import { PromptBuilder } from './prompt-builder.js';

const now = (): Date => new Date('2026-01-02T03:04:05Z');

function adapter(name: string, items: ResourceItem[], seen: string[] = []): ResourceAdapter {
  return {
    name,
    async search(query, { k }) {
      seen.push(query);
      return items.slice(0, k);
    },
  };
}

const failing: ResourceAdapter = {
  name: 'down',
  async search() {
    throw new Error('connection refused');
  },
};

const library = new ConfigPromptLibrary({
  system: {
    base: { template: '{{> who}} Today is {{current_date}}.', sections: { who: 'You are {{role}}.' }, defaults: { role: 'a helper' } },
    support: { extends: 'base', sections: { who: 'You are support for {{product}}.' }, validation: { required: ['product'] } },
    strict: { template: 'Strict {{x}}', validation: { required: ['x'], level: 'error' } },
    docs: {
      template: 'Answer from these:\n{{DOCS}}\n\nQ: {{question}}',
      rag: [{ adapter: 'kb', query: 'about {{question}}', k: 2, placeholder: 'DOCS', itemTemplate: '- {{content}}' }],
    },
    flaky: {
      template: 'Docs: {{DOCS}}',
      rag: [{ adapter: 'down', query: '{{q}}', placeholder: 'DOCS', continueOnError: true }],
    },
    broken: { template: 'Docs: {{DOCS}}', rag: [{ adapter: 'down', query: '{{q}}', placeholder: 'DOCS' }] },
  },
  user: { ask: ['Q: {{question}}((, context: {{context}}))', 'Second: {{question}}'] },
  messages: {
    chat: {
      defaults: { question: 'why?' },
      messages: [
        { role: 'system', prompt: 'support' },
        { role: 'user', prompt: 'ask', index: 1 },
        { role: 'assistant', template: 'Noted: {{question}}' },
      ],
    },
  },
});

describe('PromptBuilder', () => {
  it('renders an inherited system prompt with sections, defaults and built-ins, and reports what it used', async () => {
    const builder = new PromptBuilder({ library, now });
    const result = await builder.renderSystemPrompt('support', { product: 'Kit' });
    expect(result.content).toBe('You are support for Kit. Today is 2026-01-02.');
    expect(result.parametersUsed).toEqual(['product', 'current_date']);
    expect(result.parametersMissing).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('warns by default about missing required parameters and lists them', async () => {
    const result = await new PromptBuilder({ library, now }).renderSystemPrompt('support');
    expect(result.parametersMissing).toEqual(['product']);
    expect(result.warnings).toEqual(['missing required parameter: product']);
    expect(result.content).toBe('You are support for {{product}}. Today is 2026-01-02.');
  });

  it('applies the per-call level without leaking it into later calls', async () => {
    const builder = new PromptBuilder({ library, now });
    await expect(builder.renderSystemPrompt('support', {}, { level: 'error' })).rejects.toThrow(MissingParametersError);
    await expect(builder.renderSystemPrompt('support')).resolves.toMatchObject({ warnings: ['missing required parameter: product'] });
    // The template's own level wins over the builder's default, and a call wins over both.
    await expect(builder.renderSystemPrompt('strict')).rejects.toThrow(/template "strict"/);
    await expect(builder.renderSystemPrompt('strict', {}, { level: 'ignore' })).resolves.toMatchObject({ warnings: [], parametersMissing: ['x'] });
    const lenient = new PromptBuilder({ library, now, validationLevel: 'ignore' });
    await expect(lenient.renderSystemPrompt('strict')).rejects.toThrow(MissingParametersError);
    await expect(lenient.renderSystemPrompt('support')).resolves.toMatchObject({ warnings: [] });
  });

  it('renders user prompts by index and names unknown templates', async () => {
    const builder = new PromptBuilder({ library, now });
    expect((await builder.renderUserPrompt('ask', { question: 'Q?' })).content).toBe('Q: Q?');
    expect((await builder.renderUserPrompt('ask', { question: 'Q?' }, { index: 1 })).content).toBe('Second: Q?');
    await expect(builder.renderUserPrompt('ask', {}, { index: 5 })).rejects.toThrow(TemplateNotFoundError);
    await expect(builder.renderSystemPrompt('nope')).rejects.toThrow(/no system template named "nope"/);
  });

  it('renders a message sequence into @kit/llm messages', async () => {
    const result = await new PromptBuilder({ library, now }).renderMessages('chat', { product: 'Kit' });
    expect(result.messages).toEqual([
      { role: 'system', content: 'You are support for Kit. Today is 2026-01-02.' },
      { role: 'user', content: 'Second: why?' },
      { role: 'assistant', content: 'Noted: why?' },
    ]);
    expect(result.prompts).toHaveLength(3);
    await expect(new PromptBuilder({ library }).renderMessages('none')).rejects.toThrow(TemplateNotFoundError);
  });

  it('places RAG results as data and returns the RAG metadata', async () => {
    const queries: string[] = [];
    const items: ResourceItem[] = [
      { id: 'a', content: 'Kit renders {{templates}} ((safely))', score: 0.9, metadata: {} },
      { id: 'b', content: 'BM25 ranks keywords', score: 0.5, metadata: {} },
      { id: 'c', content: 'never reached (k = 2)', score: 0.1, metadata: {} },
    ];
    const builder = new PromptBuilder({ library, now, adapters: { kb: adapter('kb', items, queries) } });
    const result = await builder.renderSystemPrompt('docs', { question: 'templates' });
    expect(queries).toEqual(['about templates']);
    expect(result.content).toBe('Answer from these:\n- Kit renders {{templates}} ((safely))\n\n- BM25 ranks keywords\n\nQ: templates');
    expect(result.rag).toHaveLength(1);
    expect(result.rag[0]!.items.map((i) => i.id)).toEqual(['a', 'b']);
  });

  it('fails with a RagError naming the template when an adapter throws, unless the config continues', async () => {
    const builder = new PromptBuilder({ library, now, adapters: { down: failing } });
    const error = await builder.renderSystemPrompt('broken', { q: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RagError);
    expect((error as RagError).templateName).toBe('broken');
    const result = await builder.renderSystemPrompt('flaky', { q: 'x' });
    expect(result.content).toBe('Docs: ');
    expect(result.warnings.join()).toContain('connection refused');
  });
});
