import type { Message } from '@kit/llm';
import { scriptedModel } from '@kit/llm/testing';
import { describe, expect, it } from 'vitest';
import { fitToBudget, groupTurns } from './context-budget.js';

const long = (n: number): string => 'word '.repeat(n);
const conversation: Message[] = [
  { role: 'system', content: 'rules' },
  { role: 'user', content: long(50) },
  { role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'search', arguments: {} }] },
  { role: 'tool', toolCallId: 'c', content: long(50) },
  { role: 'assistant', content: long(50) },
  { role: 'user', content: 'latest question' },
];

describe('groupTurns', () => {
  it('keeps an assistant tool call with every result that answers it', () => {
    expect(groupTurns(conversation.slice(1)).map((u) => u.map((m) => m.role))).toEqual([['user'], ['assistant', 'tool'], ['assistant'], ['user']]);
  });
});

describe('fitToBudget', () => {
  it('leaves messages alone under the budget', async () => {
    const result = await fitToBudget(scriptedModel([]), conversation, { maxTokens: 100_000 });
    expect(result).toMatchObject({ dropped: 0, messages: conversation });
  });

  it('drops the oldest units, keeping the system message and the newest turn', async () => {
    const result = await fitToBudget(scriptedModel([]), conversation, { maxTokens: 80 });
    expect(result.messages[0]).toEqual(conversation[0]);
    expect(result.messages.at(-1)).toEqual(conversation.at(-1));
    expect(result.dropped).toBeGreaterThanOrEqual(3);
    expect(result.messages.some((m) => m.role === 'tool')).toBe(false);
    expect(result.tokens).toBeLessThanOrEqual(80);
  });

  it('summarizes what it drops with the summary model and template', async () => {
    const summarizer = scriptedModel(['They discussed a search.']);
    const result = await fitToBudget(scriptedModel([]), conversation, {
      maxTokens: 80,
      strategy: 'summarize',
      summaryModel: summarizer,
      summaryTemplate: 'Summarize:\n{{transcript}}',
    });
    expect(result.summary).toBe('They discussed a search.');
    expect(result.messages[1]).toEqual({ role: 'system', content: 'Summary of the earlier conversation: They discussed a search.' });
    const prompt = summarizer.requests[0]!.messages[0]!.content as string;
    expect(prompt.startsWith('Summarize:\nuser: word')).toBe(true);
    expect(prompt).toContain('tool: word');
  });
});
