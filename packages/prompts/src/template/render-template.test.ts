import { describe, expect, it } from 'vitest';
import { PromptError, TemplateRenderError, TemplateSyntaxError } from '../errors/prompt-error.js';
import { builtinValues } from './builtin-values.js';
import { renderTemplate } from './render-template.js';

const now = new Date('2026-03-04T05:06:07.000Z');

describe('renderTemplate modes', () => {
  it('conditional mode handles {{var}} and (( )) only, leaving Jinja syntax as text', () => {
    expect(renderTemplate('Hello {{name}}((, age {{age}})) {% if x %}', { name: 'Bob' }, { mode: 'conditional' })).toBe('Hello Bob {% if x %}');
  });

  it('jinja2 mode is nunjucks only: (( )) is text', () => {
    expect(renderTemplate('(({{ name }}))', { name: 'A' }, { mode: 'jinja2' })).toBe('((A))');
  });

  it('mixed mode (the default) drops empty sections, then runs nunjucks', () => {
    const template = 'Hi {{name}}((, role: {{role}})).{% for t in tags %} #{{t}}{% endfor %}';
    expect(renderTemplate(template, { name: 'Ann', tags: ['x', 'y'] })).toBe('Hi Ann. #x #y');
    expect(renderTemplate(template, { name: 'Ann', role: 'admin', tags: [] })).toBe('Hi Ann, role: admin.');
  });

  it('mixed mode keeps a missing placeholder outside sections and never renders values', () => {
    expect(renderTemplate('A {{ gone }} B', {})).toBe('A {{gone}} B');
    expect(renderTemplate('A {{ here }} B', { here: 1 })).toBe('A  1  B'); // rule 2: padding stays
    const hostile = '{{ secret }} {% include "x" %} ((drop me)) <|endoftext|>';
    expect(renderTemplate('[{{v}}]((<{{w}}>))', { v: hostile, w: hostile, secret: 'S' })).toBe(`[${hostile}]<${hostile}>`);
  });

  it('mixed mode rejects Jinja blocks or filters inside a (( )) section, with the position', () => {
    const template = 'Intro\n((x {{a}} {% if b %}y{% endif %}))';
    const error = (() => {
      try {
        renderTemplate(template, { a: 1 }, { templateName: 'bad' });
      } catch (e) {
        return e;
      }
    })() as TemplateSyntaxError;
    expect(error).toBeInstanceOf(TemplateSyntaxError);
    expect(error.location).toEqual({ line: 2, column: 11 });
    expect(error.templateName).toBe('bad');
    expect(() => renderTemplate('(({{ a | upper }}))', { a: 'x' })).toThrow(TemplateSyntaxError);
  });

  it('mixed mode with undefinedBehavior throw fails on a missing placeholder outside sections only', () => {
    expect(() => renderTemplate('x {{gone}}', {}, { undefinedBehavior: 'throw' })).toThrow(TemplateRenderError);
    expect(renderTemplate('x((, {{gone}}))', {}, { undefinedBehavior: 'throw' })).toBe('x');
  });
});

describe('renderTemplate values', () => {
  it('adds built-in dates, which params override', () => {
    expect(renderTemplate('{{current_date}} {{current_year}} {{current_datetime}}', {}, { now, mode: 'conditional' })).toBe(
      '2026-03-04 2026 2026-03-04T05:06:07.000Z',
    );
    expect(renderTemplate('{{current_year}}', { current_year: 1999 }, { now })).toBe('1999');
    expect(renderTemplate('{{current_year}}', {}, { builtins: false, mode: 'conditional' })).toBe('{{current_year}}');
    expect(builtinValues(now).current_date).toBe('2026-03-04');
  });

  it('puts defaults under params; an explicit undefined does not erase a default', () => {
    expect(renderTemplate('{{a}}-{{b}}', { a: 'A', b: undefined }, { defaults: { a: 'x', b: 'B' }, mode: 'conditional' })).toBe('A-B');
  });

  it('rejects params that are not a plain object', () => {
    expect(() => renderTemplate('x', [] as unknown as Record<string, unknown>)).toThrow(PromptError);
    expect(() => renderTemplate('x', null as unknown as Record<string, unknown>)).toThrow(/params must be a plain object/);
    expect(() => renderTemplate(42 as unknown as string)).toThrow(/a template must be a string/);
  });
});

describe('parameters are data, templates are code', () => {
  // nunjucks does not sandbox templates; what Kit guarantees is that parameter VALUES never run.
  const payloads = [
    '{{ range.constructor("return process")() }}',
    '{{ "".constructor.constructor("return globalThis")() }}',
    '{% set x = cycler.constructor("return process.exit")() %}',
    '{{ constructor.constructor("throw new Error(1)")() }}',
  ];

  for (const mode of ['jinja2', 'mixed'] as const) {
    it(`${mode}: payload values print verbatim and execute nothing`, () => {
      for (const payload of payloads) {
        expect(renderTemplate('<{{input}}>', { input: payload }, { mode })).toBe(`<${payload}>`);
      }
    });
  }

  it('a parameter cannot shadow its way into a global: a value named like a global is just a value', () => {
    expect(renderTemplate('{{ range }}', { range: 'not a function' }, { mode: 'jinja2' })).toBe('not a function');
    expect(renderTemplate('{% for i in range(2) %}{{ i }}{% endfor %}', {}, { mode: 'jinja2' })).toBe('01');
  });
});
