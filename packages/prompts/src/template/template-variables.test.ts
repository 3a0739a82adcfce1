import { describe, expect, it } from 'vitest';
import { templateVariables } from './template-variables.js';

describe('templateVariables', () => {
  it('lists conditional placeholders and nunjucks root names, not names the template binds', () => {
    const template = '{{name}}((, {{age}})) {% for item in items %}{{ item.title | upper }}{{ suffix }}{% endfor %}{% set n = 1 %}{{ n }}{{ user.email }}';
    expect(templateVariables(template, 'jinja2')).toEqual(['name', 'age', 'items', 'suffix', 'user']);
    // Mixed mode also counts `{{ suffix }}` and `{{ n }}` as conditional placeholders, which they are.
    expect(templateVariables(template, 'mixed')).toEqual(['name', 'age', 'suffix', 'n', 'items', 'user']);
  });

  it('respects the mode', () => {
    expect(templateVariables('{{a}} {% if b %}{% endif %}', 'conditional')).toEqual(['a']);
    expect(templateVariables('(({{a}})) {{ b }}', 'jinja2')).toEqual(['a', 'b']);
  });

  it('skips globals and returns the conditional names for a template nunjucks cannot parse', () => {
    expect(templateVariables('{% for i in range(3) %}{{ i }}{% endfor %}', 'jinja2')).toEqual([]);
    expect(templateVariables('{{a}} {% if %}', 'mixed')).toEqual(['a']);
  });
});
