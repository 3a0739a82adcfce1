import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Fsm } from './fsm.js';
import { orchestratorGuide } from './orchestrator-guide.js';

describe('orchestratorGuide', () => {
  it('names the current state, the next states and the tools with their parameters', () => {
    const fsm = new Fsm({ research: ['writing', 'done'], writing: ['done'], done: [] });
    const guide = orchestratorGuide(fsm, [{ name: 'search', description: 'Search the web', parameters: z.object({ q: z.string() }) }]);
    expect(guide).toContain('Current state: research');
    expect(guide).toContain('Next states: writing, done');
    expect(guide).toContain('- search: Search the web');
    expect(guide).toContain('parameters: {"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}');
  });

  it('says when the state is terminal and when there are no tools', () => {
    const fsm = new Fsm({ a: ['b'], b: [] });
    fsm.transition('b');
    const guide = orchestratorGuide(fsm, []);
    expect(guide).toContain('Current state: b');
    expect(guide).toContain('Next states: none (this state is terminal)');
    expect(guide).toContain('Tools: none');
  });
});
