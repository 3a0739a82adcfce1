import { describe, expect, it } from 'vitest';
import { LibraryParseError } from '../errors/prompt-error.js';
import { CompositePromptLibrary } from './composite-prompt-library.js';
import { ConfigPromptLibrary } from './config-prompt-library.js';

describe('ConfigPromptLibrary', () => {
  const library = new ConfigPromptLibrary({
    system: { assistant: 'You help with {{product}}.', strict: { template: 'Rules', validation: { required: ['x'], level: 'error' } } },
    user: { ask: ['Q: {{q}}', { template: 'Question, take two: {{q}}' }] },
    messages: { chat: { messages: [{ role: 'system', prompt: 'assistant' }, { role: 'user', template: '{{q}}' }] } },
  });

  it('serves string shorthand and records, user prompts by index', async () => {
    expect(await library.getSystemPrompt('assistant')).toEqual({ template: 'You help with {{product}}.' });
    expect((await library.getSystemPrompt('strict'))?.validation).toEqual({ required: ['x'], optional: [], level: 'error' });
    expect((await library.getUserPrompt('ask', 1))?.template).toBe('Question, take two: {{q}}');
    expect(await library.getUserPrompt('ask', 2)).toBeUndefined();
    expect(await library.getSystemPrompt('nope')).toBeUndefined();
    expect(await library.listPrompts('system')).toEqual(['assistant', 'strict']);
    expect((await library.getMessageSequence('chat'))?.messages).toHaveLength(2);
  });

  it('returns copies: changing a result does not change the library', async () => {
    const first = await library.getSystemPrompt('strict');
    first!.validation!.required.push('y');
    first!.template = 'changed';
    expect(await library.getSystemPrompt('strict')).toEqual({ template: 'Rules', validation: { required: ['x'], optional: [], level: 'error' } });
  });

  it('rejects a bad entry with its path', () => {
    expect(() => new ConfigPromptLibrary({ system: { a: { template: 'x', mode: 'handlebars' as 'mixed' } } })).toThrow(LibraryParseError);
    expect(() => new ConfigPromptLibrary({ system: { a: { template: 'x', mode: 'handlebars' as 'mixed' } } })).toThrow(/system\.a\.mode/);
    expect(() => new ConfigPromptLibrary({ messages: { m: { messages: [{ role: 'user', template: 'a', prompt: 'b' }] } } })).toThrow(/exactly one of/);
  });
});

describe('CompositePromptLibrary', () => {
  it('answers from the first library that holds the name and lists the union', async () => {
    const overrides = new ConfigPromptLibrary({ system: { greet: 'Override' } });
    const base = new ConfigPromptLibrary({ system: { greet: 'Base', other: 'Other' }, user: { u: 'U' } });
    const composite = new CompositePromptLibrary([overrides, base]);
    expect((await composite.getSystemPrompt('greet'))?.template).toBe('Override');
    expect((await composite.getSystemPrompt('other'))?.template).toBe('Other');
    expect((await composite.getUserPrompt('u'))?.template).toBe('U');
    expect(await composite.getSystemPrompt('missing')).toBeUndefined();
    expect(await composite.listPrompts('system')).toEqual(['greet', 'other']);
  });
});
