import { describe, expect, it } from 'vitest';
import { AgentError } from './agent-error.js';
import { Fsm } from './fsm.js';

const publishing = { draft: ['review'], review: ['draft', 'published'], published: [] };

describe('Fsm', () => {
  it('moves along allowed transitions and knows next and terminal states', () => {
    const fsm = new Fsm(publishing);
    expect(fsm.current).toBe('draft');
    expect(fsm.states).toEqual(['draft', 'review', 'published']);
    expect(fsm.getNextStates()).toEqual(['review']);
    expect(fsm.canTransition('published')).toBe(false);
    expect(fsm.transition('review')).toBe('review');
    expect(fsm.getNextStates()).toEqual(['draft', 'published']);
    fsm.transition('published');
    expect(fsm.isTerminal()).toBe(true);
    expect(fsm.isTerminal('draft')).toBe(false);
  });

  it('refuses moves that are not allowed, naming the allowed ones', () => {
    const fsm = new Fsm(publishing, { initial: 'review' });
    expect(() => fsm.transition('review')).toThrow('Cannot move from "review" to "review"; allowed: draft, published');
    fsm.transition('published');
    expect(() => fsm.transition('draft')).toThrow(/allowed: none: it is terminal/);
    expect(() => fsm.transition('archived')).toThrow(expect.objectContaining({ reason: 'unknown-state' }));
    expect(fsm.current).toBe('published');
  });

  it('refuses maps with unknown targets, no states, or an unknown initial state', () => {
    expect(() => new Fsm({ a: ['b'] })).toThrow(/"b" is not a state of this machine/);
    expect(() => new Fsm({})).toThrow(AgentError);
    expect(() => new Fsm({ a: [] }, { initial: 'z' })).toThrow(/initial state "z"/);
    expect(() => new Fsm({ a: 'b' } as never)).toThrow(expect.objectContaining({ reason: 'invalid-definition' }));
    expect(() => new Fsm(publishing).getNextStates('nope')).toThrow(expect.objectContaining({ reason: 'unknown-state' }));
  });
});
