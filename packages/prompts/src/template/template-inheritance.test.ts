import { describe, expect, it } from 'vitest';
import { CyclicExtendsError, TemplateNotFoundError, TemplateSyntaxError } from '../errors/prompt-error.js';
import type { PromptTemplate } from './prompt-template.js';
import { expandSections, resolvePromptTemplate } from './template-inheritance.js';

const library: Record<string, PromptTemplate> = {
  base: {
    template: '{{> intro}}\n{{> rules}}',
    sections: { intro: 'You are {{role}}.', rules: 'Be brief.' },
    defaults: { role: 'an assistant', tone: 'neutral' },
    validation: { required: ['role'], optional: [], level: 'warn' },
    metadata: { owner: 'core', tags: ['a'] },
    mode: 'conditional',
  },
  support: {
    extends: 'base',
    sections: { rules: 'Be kind. {{> sign}}', sign: '-- {{team}}' },
    defaults: { tone: 'warm' },
    validation: { required: ['team'], optional: ['customer'] },
    metadata: { owner: 'support' },
  },
  loopA: { extends: 'loopB', template: 'a' },
  loopB: { extends: 'loopA', template: 'b' },
  orphan: { extends: 'nowhere', template: 'x' },
};
const lookup = (name: string): PromptTemplate | undefined => library[name];

describe('resolvePromptTemplate', () => {
  it('merges a child over its parent and expands sections, the child winning', async () => {
    const resolved = await resolvePromptTemplate('support', library['support']!, lookup);
    expect(resolved.template).toBe('You are {{role}}.\nBe kind. -- {{team}}');
    expect(resolved.defaults).toEqual({ role: 'an assistant', tone: 'warm' });
    expect(resolved.validation).toEqual({ required: ['role', 'team'], optional: ['customer'], level: 'warn' });
    expect(resolved.metadata).toEqual({ owner: 'support', tags: ['a'] });
    expect(resolved.mode).toBe('conditional');
    expect(resolved.lineage).toEqual(['support', 'base']);
  });

  it('does not share objects with the records it read', async () => {
    const resolved = await resolvePromptTemplate('support', library['support']!, lookup);
    (resolved.metadata['tags'] as string[]).push('changed');
    expect(library['base']!.metadata!['tags']).toEqual(['a']);
  });

  it('names the chain of a cyclic extends', async () => {
    const error = await resolvePromptTemplate('loopA', library['loopA']!, lookup).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CyclicExtendsError);
    expect((error as CyclicExtendsError).chain).toEqual(['loopA', 'loopB', 'loopA']);
    expect((error as Error).message).toContain('template "loopA"');
  });

  it('reports a missing parent by name', async () => {
    await expect(resolvePromptTemplate('orphan', library['orphan']!, lookup)).rejects.toThrow(TemplateNotFoundError);
    await expect(resolvePromptTemplate('orphan', library['orphan']!, lookup)).rejects.toThrow(/"nowhere"/);
  });

  it('rejects a chain with no text', async () => {
    await expect(resolvePromptTemplate('empty', { defaults: {} }, lookup)).rejects.toThrow(TemplateSyntaxError);
  });
});

describe('expandSections', () => {
  it('reports unknown and self-including sections', () => {
    expect(() => expandSections('a\n  {{> nope}}', {}, 't')).toThrow(/unknown section "nope".*line 2, column 3/);
    expect(() => expandSections('{{> a}}', { a: 'x {{> b}}', b: '{{> a}}' }, 't')).toThrow(/includes itself: a -> b -> a/);
  });

  it('leaves parameter values out of it: only template text is expanded', () => {
    expect(expandSections('{{name}} {{> s}}', { s: 'S' }, 't')).toBe('{{name}} S');
  });
});
