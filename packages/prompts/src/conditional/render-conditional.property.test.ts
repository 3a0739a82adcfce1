import { seededRandom } from '@kit/llm/testing';
import { describe, expect, it } from 'vitest';
import type { ConditionalNode } from './conditional-ast.js';
import { compileConditional } from './compile-conditional.js';
import { formatConditionalValue, isFilledConditionalValue } from './conditional-value.js';

const NAMES = ['a', 'b', 'c', 'long_name'];
const PADS = ['', ' ', '  ', '\n'];
const TEXTS = ['x', ' ', 'word ', '(', ')', '{', '}', '\n', '{{ a.b }}', '{{', '}}', '{% if a %}', '<|endoftext|>'];
const VALUES: unknown[] = ['v', '', '   ', 0, 1, false, true, null, undefined, [], ['i'], { k: 1 }, '{{a}}', '((b))', '))', '((', 'é'];

/** A template from a small grammar: text, placeholders, sections (balanced or not) and stray parentheses. */
function template(next: () => number, depth = 0): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const parts: string[] = [];
  const count = Math.floor(next() * 6);
  for (let i = 0; i < count; i++) {
    const roll = next();
    if (roll < 0.35) parts.push(pick(TEXTS));
    else if (roll < 0.65) parts.push(`{{${pick(PADS)}${pick(NAMES)}${pick(PADS)}}}`);
    else if (roll < 0.85 && depth < 4) parts.push(`((${template(next, depth + 1)}))`);
    else parts.push(pick(['((', '))', '(((', ')))']));
  }
  return parts.join('');
}

function params(next: () => number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const name of NAMES) if (next() < 0.7) result[name] = VALUES[Math.floor(next() * VALUES.length)];
  return result;
}

/** The rules written the obvious way, as a tree walk over the parsed nodes: an independent check of the flat renderer. */
function reference(nodes: readonly ConditionalNode[], values: Record<string, unknown>, inSection: boolean): string {
  const own = (name: string): unknown => (Object.hasOwn(values, name) ? values[name] : undefined);
  return nodes
    .map((node) => {
      if (node.type === 'text') return node.text;
      if (node.type === 'section') {
        const keep = node.variables.length === 0 || node.variables.some((name) => isFilledConditionalValue(own(name)));
        return keep ? reference(node.children, values, true) : '';
      }
      const value = own(node.name);
      const padded = node.padBefore !== '' || node.padAfter !== '';
      if (inSection) return value === undefined || value === null ? '' : node.padBefore + formatConditionalValue(value) + node.padAfter;
      if (value === undefined || (value === null && padded)) return `${node.padBefore}{{${node.name}}}${node.padAfter}`;
      return node.padBefore + formatConditionalValue(value) + node.padAfter;
    })
    .join('');
}

describe('rendering random templates', () => {
  it('never throws, is deterministic, and agrees with a plain tree walk over the same nodes', () => {
    for (let seed = 1; seed <= 600; seed++) {
      const next = seededRandom(seed);
      const source = template(next);
      const values = params(next);
      const context = `seed ${seed}: ${JSON.stringify(source)} with ${JSON.stringify(values)}`;
      const compiled = compileConditional(source);
      const first = compiled.render(values);
      expect(compiled.render(values), context).toBe(first);
      expect(compileConditional(source, { cache: false }).render(values), context).toBe(first);
      expect(first, context).toBe(reference(compiled.nodes, values, false));
    }
  });

  it('gives the same output with hooks that restate the defaults', () => {
    const hooks = {
      value: (node: { padBefore: string; padAfter: string }, value: unknown) => node.padBefore + formatConditionalValue(value) + node.padAfter,
      missing: (node: { name: string; padBefore: string; padAfter: string }, inSection: boolean) =>
        inSection ? '' : `${node.padBefore}{{${node.name}}}${node.padAfter}`,
      text: (node: { text: string }) => node.text,
    };
    for (let seed = 1001; seed <= 1300; seed++) {
      const next = seededRandom(seed);
      const source = template(next);
      const values = params(next);
      const compiled = compileConditional(source);
      expect(compiled.render(values, hooks), `seed ${seed}: ${JSON.stringify(source)}`).toBe(compiled.render(values));
    }
  });
});
