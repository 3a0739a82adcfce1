import { describe, expect, it } from 'vitest';
import { TemplateRenderError, TemplateSyntaxError } from '../errors/prompt-error.js';
import { compileJinja, renderJinja } from './jinja-render.js';
import { guardPlainOutputs } from './nunjucks-output-guard.js';

describe('renderJinja', () => {
  it('renders loops, conditions and filters with autoescape off', () => {
    const out = renderJinja('{% for t in tags %}<{{ t | upper }}>{% endfor %}{% if ok %} & yes{% endif %}', { tags: ['a', 'b'], ok: true });
    expect(out).toBe('<A><B> & yes');
  });

  it('keeps a plain undefined output as {{name}} by default, dotted paths included', () => {
    expect(renderJinja('Hi {{ name }} from {{ user.city }}!', {})).toBe('Hi {{name}} from {{user.city}}!');
    expect(renderJinja('Hi {{- name -}} !', {})).toBe('Hi{{name}}!');
  });

  it('does not keep undefined inside expressions where a default or test handles it', () => {
    expect(renderJinja('{{ name | default("guest") }}{% if missing %}x{% endif %}', {})).toBe('guest');
  });

  it('throws a TemplateRenderError with line and column in throw mode', () => {
    const error = (() => {
      try {
        renderJinja('line one\n  {{ name }}', {}, { undefinedBehavior: 'throw', templateName: 'greeting' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TemplateRenderError);
    expect((error as TemplateRenderError).message).toContain('"name" is undefined');
    expect((error as TemplateRenderError).templateName).toBe('greeting');
    expect((error as TemplateRenderError).location).toEqual({ line: 2, column: 3 });
  });

  it('reports syntax errors as TemplateSyntaxError', () => {
    expect(() => renderJinja('{% if x %}never closed', {})).toThrow(TemplateSyntaxError);
    expect(() => renderJinja('{{ a | nosuchfilter }}', { a: 1 })).toThrow(/filter not found: nosuchfilter/);
  });

  it('prints values holding template syntax verbatim, never rendering them', () => {
    const value = '{{ 7 * 7 }} {% for x in range(3) %}{{ x }}{% endfor %} <|endoftext|>';
    expect(renderJinja('[{{ v }}]', { v: value })).toBe(`[${value}]`);
  });

  it('treats names that resolve through Object.prototype as undefined', () => {
    expect(renderJinja('{{ constructor }}/{{ toString }}', {})).toBe('{{constructor}}/{{toString}}');
    expect(() => renderJinja('{{ constructor }}', {}, { undefinedBehavior: 'throw' })).toThrow(TemplateRenderError);
    expect(renderJinja('{{ constructor }}', { constructor: 'own value' })).toBe('own value');
  });

  it('caches compiled templates by text and undefined behaviour', () => {
    expect(compileJinja('{{ a }}')).toBe(compileJinja('{{ a }}'));
    expect(compileJinja('{{ a }}', { undefinedBehavior: 'throw' })).not.toBe(compileJinja('{{ a }}'));
  });
});

describe('guardPlainOutputs', () => {
  it('wraps plain outputs only, leaving raw blocks, comments and expressions alone', () => {
    const source = '{{ a }}{# {{ b }} #}{% raw %}{{ c }}{% endraw %}{{ d | upper }}{{ e.f }}{% if g %}{% endif %}';
    expect(guardPlainOutputs(source)).toBe(
      '{{ a | kitOutput("a", 1, 1) }}{# {{ b }} #}{% raw %}{{ c }}{% endraw %}{{ d | upper }}{{ e.f | kitOutput("e.f", 1, 64) }}{% if g %}{% endif %}',
    );
  });

  it('returns the same string when there is nothing to wrap', () => {
    const source = 'plain {% if x %}text{% endif %}';
    expect(guardPlainOutputs(source)).toBe(source);
  });
});
