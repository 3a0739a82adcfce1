import { describe, expect, it } from 'vitest';
import type { ConditionalNode } from './conditional-ast.js';
import { parseConditional } from './parse-conditional.js';

/** The source a list of nodes covers, rebuilt from raw text, placeholders and section markers. */
function sourceOf(nodes: readonly ConditionalNode[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
          return node.text;
        case 'variable':
          return node.raw;
        case 'section':
          return `((${sourceOf(node.children)}))`;
      }
    })
    .join('');
}

describe('parseConditional', () => {
  it('builds text, variable and section nodes with raw source, padding and locations', () => {
    const parsed = parseConditional('Hi {{ name }}!\n((Age: {{age}} ((in {{city}})) ))');
    expect(parsed.nodes).toEqual([
      { type: 'text', text: 'Hi ', location: { line: 1, column: 1 } },
      { type: 'variable', name: 'name', raw: '{{ name }}', padBefore: ' ', padAfter: ' ', location: { line: 1, column: 4 } },
      { type: 'text', text: '!\n', location: { line: 1, column: 14 } },
      {
        type: 'section',
        variables: ['age', 'city'],
        location: { line: 2, column: 1 },
        children: [
          { type: 'text', text: 'Age: ', location: { line: 2, column: 3 } },
          { type: 'variable', name: 'age', raw: '{{age}}', padBefore: '', padAfter: '', location: { line: 2, column: 8 } },
          { type: 'text', text: ' ', location: { line: 2, column: 15 } },
          {
            type: 'section',
            variables: ['city'],
            location: { line: 2, column: 16 },
            children: [
              { type: 'text', text: 'in ', location: { line: 2, column: 18 } },
              { type: 'variable', name: 'city', raw: '{{city}}', padBefore: '', padAfter: '', location: { line: 2, column: 21 } },
            ],
          },
          { type: 'text', text: ' ', location: { line: 2, column: 31 } },
        ],
      },
    ]);
    expect(parsed.variables).toEqual(['name', 'age', 'city']);
    expect(parsed.diagnostics).toEqual([]);
  });

  it('lists each name once, in first-appearance order, for the template and for each section', () => {
    const parsed = parseConditional('{{b}}(({{a}} {{b}} (({{a}} {{c}}))))');
    expect(parsed.variables).toEqual(['b', 'a', 'c']);
    const section = parsed.nodes[1];
    expect(section?.type === 'section' && section.variables).toEqual(['a', 'b', 'c']);
  });

  it('counts lines inside a placeholder padding', () => {
    const parsed = parseConditional('{{\n  a\n}} then {{b}}');
    expect(parsed.nodes[2]).toEqual({ type: 'variable', name: 'b', raw: '{{b}}', padBefore: '', padAfter: '', location: { line: 3, column: 9 } });
  });

  it('makes an unclosed (( and what followed it one run of text, with sections inside kept', () => {
    const parsed = parseConditional('x ((a ((b)) c ((d');
    expect(parsed.nodes.map((n) => n.type)).toEqual(['text', 'section', 'text']);
    expect(parsed.nodes[0]).toEqual({ type: 'text', text: 'x ((a ', location: { line: 1, column: 1 } });
    expect(parsed.nodes[2]).toEqual({ type: 'text', text: ' c ((d', location: { line: 1, column: 12 } });
    expect(parsed.diagnostics.map((d) => d.location.column)).toEqual([3, 15]);
  });

  it('reports problems in source order, with line and column', () => {
    const parsed = parseConditional('((a\nb)) c)) ((d');
    expect(parsed.diagnostics.map((d) => [d.message.startsWith("'))'") ? 'stray' : 'unclosed', d.location.line, d.location.column])).toEqual([
      ['stray', 2, 6],
      ['unclosed', 2, 9],
    ]);
  });

  it.each([
    'plain text',
    '',
    '{{a}}{{ b }}(({{c}}))',
    '(((x)))',
    ')) (( ((',
    'f((a) ((b))',
    '{{{x}}} {{ y.z }} {{',
    '((a ((b ((c',
    '(( ( )) ))',
  ])('covers the source exactly: %j', (source) => {
    expect(sourceOf(parseConditional(source).nodes)).toBe(source);
  });
});
