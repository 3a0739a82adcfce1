import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AgentError } from './agent-error.js';
import { defineAgentTool } from './agent-tool.js';
import { ToolRegistry, isToolInScope } from './tool-registry.js';

const search = defineAgentTool({ name: 'search', description: 'Search the web', parameters: z.object({ q: z.string() }), states: ['research'], run: ({ q }) => q });
const clock = defineAgentTool({ name: 'clock', parameters: z.object({}), kind: 'sync', run: () => 'noon' });

describe('ToolRegistry', () => {
  it('registers tools and lists those in scope of a state', () => {
    const registry = new ToolRegistry().register(search).register(clock);
    expect(registry.list().map((t) => t.name)).toEqual(['search', 'clock']);
    expect(registry.forState('research').map((t) => t.name)).toEqual(['search', 'clock']);
    expect(registry.forState('writing').map((t) => t.name)).toEqual(['clock']);
    expect(isToolInScope(search, 'writing')).toBe(false);
    expect(registry.unregister('clock')).toBe(true);
    expect(registry.has('clock')).toBe(false);
  });

  it('refuses a second tool of the same name', () => {
    const registry = new ToolRegistry().register(search);
    expect(() => registry.register({ ...search })).toThrow(expect.objectContaining({ reason: 'duplicate-tool' }));
  });

  it.each([
    ['a name providers refuse', { ...clock, name: 'has space' }],
    ['parameters that are not an object schema', { ...clock, parameters: z.string() }],
    ['parameters that are not zod', { ...clock, parameters: { type: 'object' } }],
    ['parameters that transform values', { ...clock, parameters: z.object({ n: z.string().transform(Number) }) }],
    ['an unknown kind', { ...clock, kind: 'eventually' }],
    ['an empty scope', { ...clock, states: [] }],
    ['no run function', { ...clock, run: 'go' }],
  ])('refuses a tool with %s', (_what, tool) => {
    expect(() => new ToolRegistry().register(tool as never)).toThrow(AgentError);
    try {
      new ToolRegistry().register(tool as never);
    } catch (error) {
      expect((error as AgentError).reason).toBe('invalid-definition');
    }
  });
});
