import { describe, expect, it } from 'vitest';
import { AgentError } from './agent-error.js';
import { WorkingMemory } from './working-memory.js';

describe('WorkingMemory', () => {
  it('sets, appends, gets, deletes and clears buckets 0..9', () => {
    const memory = new WorkingMemory();
    memory.set(0, 'first');
    memory.append(0, 'second');
    memory.append(9, 'last bucket');
    expect(memory.get(0)).toBe('first\nsecond');
    expect(memory.get(9)).toBe('last bucket');
    expect(memory.get(5)).toBe('');

    memory.delete(0);
    expect(memory.get(0)).toBe('');
    expect(memory.viewAll().map((b) => b.index)).toEqual([9]);

    memory.set(3, 'three');
    memory.clear();
    expect(memory.isEmpty()).toBe(true);
  });

  it('lists only non-empty buckets, in index order, with their update time', () => {
    const memory = new WorkingMemory();
    memory.set(7, 'seven');
    memory.set(2, 'two');
    memory.set(4, '   ');
    const view = memory.viewAll();
    expect(view.map((b) => [b.index, b.content])).toEqual([
      [2, 'two'],
      [7, 'seven'],
    ]);
    expect(Date.parse(view[0]!.updatedAt!)).not.toBeNaN();
  });

  it.each([-1, 10, 1.5, Number.NaN])('refuses bucket %s with a typed error', (index) => {
    const memory = new WorkingMemory();
    for (const action of [() => memory.set(index, 'x'), () => memory.append(index, 'x'), () => memory.get(index), () => memory.delete(index)]) {
      expect(action).toThrow(AgentError);
      try {
        action();
      } catch (error) {
        expect((error as AgentError).reason).toBe('bucket-out-of-range');
        expect((error as AgentError).code).toBe('agent/bucket-out-of-range');
      }
    }
    expect(memory.isEmpty()).toBe(true);
  });

  it('refuses content that is not text', () => {
    const memory = new WorkingMemory();
    expect(() => memory.set(1, 42 as unknown as string)).toThrow(/Invalid bucket content/);
  });

  it('round-trips through toJSON and keeps its own copies', () => {
    const memory = new WorkingMemory();
    memory.set(1, 'one');
    const data = memory.toJSON();
    expect(data).toHaveLength(10);
    data[1]!.content = 'changed outside';
    expect(memory.get(1)).toBe('one');
    expect(new WorkingMemory(memory.toJSON()).get(1)).toBe('one');
  });
});
