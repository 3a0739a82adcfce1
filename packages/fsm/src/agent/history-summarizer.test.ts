import { scriptedModel } from '@kit/llm/testing';
import { describe, expect, it } from 'vitest';
import { AgentError } from './agent-error.js';
import { HistorySummarizer } from './history-summarizer.js';
import { PersistentMemory } from './persistent-memory.js';

describe('HistorySummarizer', () => {
  it('refreshes the TODO list from an observe-orient-decide-act reply', async () => {
    const model = scriptedModel([{ object: { observe: 'Found 3 flights.', orient: 'Budget is fine.', decide: 'Book the cheapest.', act: 'Call book_flight.', todo: '- book flight\n- find hotel' } }]);
    const memory = new PersistentMemory();
    memory.background.update({ todoList: '- search flights\n- find hotel' });
    memory.history.add({ state: 'search', input: 'LIS', output: ['TP 123', 'FR 456', 'U2 789'] });

    const summary = await new HistorySummarizer({ model }).summarizeExit(memory, 'search');
    expect(summary).toMatchObject({ state: 'search', decide: 'Book the cheapest.', todo: '- book flight\n- find hotel' });
    expect(memory.background.todoList).toBe('- book flight\n- find hotel');
    expect(memory.history.lastOf('search')?.summary).toContain('Act: Call book_flight.');
    const prompt = model.requests[0]!.messages[0]!.content as string;
    expect(prompt).toContain('<current_todo_list>\n- search flights\n- find hotel\n</current_todo_list>');
    expect(prompt).toContain('["TP 123","FR 456","U2 789"]');
  });

  it('does nothing for a state with no history', async () => {
    const model = scriptedModel([]);
    const memory = new PersistentMemory();
    expect(await new HistorySummarizer({ model }).summarizeExit(memory, 'never-ran')).toBeUndefined();
    expect(model.requests).toHaveLength(0);
  });

  it('fails with the model core\'s typed error when the reply is not a summary, changing nothing', async () => {
    const model = scriptedModel([{ object: { summary: 'free text' } }]);
    const memory = new PersistentMemory();
    memory.background.update({ todoList: '- keep me' });
    memory.history.add({ state: 's', input: 1, output: 2 });
    await expect(new HistorySummarizer({ model }).summarizeExit(memory, 's')).rejects.toMatchObject({ code: 'structured-output/invalid' });
    expect(memory.background.todoList).toBe('- keep me');
  });

  it('refuses options without a model', () => {
    expect(() => new HistorySummarizer({} as never)).toThrow(AgentError);
  });
});
