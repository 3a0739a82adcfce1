import { describe, expect, it } from 'vitest';
import { extractList, extractListStrings } from './extract-list.js';

describe('extractList', () => {
  it('reads every bullet marker', () => {
    const reply = 'Options:\n- dash\n* star\n+ plus\n• dot\n•tight dot\n\nPick one.';
    expect(extractList(reply)).toEqual(
      ['dash', 'star', 'plus', 'dot', 'tight dot'].map((text) => ({ text, depth: 0, ordered: false })),
    );
  });

  it('reads numbered items with `.` and `)`', () => {
    const reply = 'Steps:\n1) Install\n2) Configure\n10. Deploy\n';
    expect(extractList(reply)).toEqual([
      { text: 'Install', depth: 0, ordered: true },
      { text: 'Configure', depth: 0, ordered: true },
      { text: 'Deploy', depth: 0, ordered: true },
    ]);
  });

  it('flattens nested items with their depth', () => {
    const reply = [
      '1. Fruit',
      '   - apple',
      '   - pear',
      '     * conference',
      '2. Vegetables',
      '    - leek',
      '  - kale',
      '- Other',
    ].join('\n');
    expect(extractList(reply).map(({ text, depth, ordered }) => `${depth}${ordered ? '#' : '-'} ${text}`)).toEqual([
      '0# Fruit',
      '1- apple',
      '1- pear',
      '2- conference',
      '0# Vegetables',
      '1- leek',
      '1- kale',
      '0- Other',
    ]);
  });

  it('joins continuation lines, after a blank line too when indented to the text', () => {
    const reply = [
      '- The first item wraps',
      '  onto a second line',
      '  and a third.',
      '- The second item',
      '',
      '  has a second paragraph.',
      '- Third',
      '',
      'After the list.',
    ].join('\n');
    expect(extractListStrings(reply)).toEqual([
      'The first item wraps onto a second line and a third.',
      'The second item has a second paragraph.',
      'Third',
    ]);
  });

  it('ends a list at an unindented line and starts the next one at depth 0', () => {
    const reply = '  - indented start\n    - child\nA paragraph.\n  - new list\n';
    expect(extractList(reply).map((item) => [item.text, item.depth])).toEqual([
      ['indented start', 0],
      ['child', 1],
      ['new list', 0],
    ]);
  });

  it('does not read emphasis, signs, thematic breaks or headings as items', () => {
    const reply = '**Bold** line\n*emphasis* here\n+1 to that\n-5 degrees\n---\n* * *\n# Heading\n2024 was good\n3.14 is pi';
    expect(extractList(reply)).toEqual([]);
  });

  it('ignores list-like lines inside fenced code', () => {
    const reply = '- before\n```diff\n- removed\n+ added\n```\n- after';
    expect(extractListStrings(reply)).toEqual(['before', 'after']);
  });

  it('keeps a block indented under an item inside it, without its lines', () => {
    const reply = '1. Install:\n   ```sh\n   - not an item\n   ```\n   then run it.\n2. Use it';
    expect(extractListStrings(reply)).toEqual(['Install: then run it.', 'Use it']);
  });

  it('handles CRLF line endings', () => {
    expect(extractListStrings('- a\r\n  more\r\n- b\r\n')).toEqual(['a more', 'b']);
  });

  it('leaves out empty items and keeps markdown and special tokens in the text', () => {
    expect(extractListStrings('-\n- [ ] **todo** {{x}} <|endoftext|>\n- ')).toEqual(['[ ] **todo** {{x}} <|endoftext|>']);
  });

  it('returns nothing for text without lists', () => {
    expect(extractList('Just a sentence.\nAnd another.')).toEqual([]);
    expect(extractList('')).toEqual([]);
  });

  it('stays linear on a megabyte of markers, deep indentation and long lines', () => {
    expect(extractList('- '.repeat(500_000))).toEqual([]);
    expect(extractList('- a '.repeat(250_000))).toHaveLength(1);
    expect(extractList('-\n'.repeat(500_000))).toEqual([]);
    const staircase = Array.from({ length: 1400 }, (_, depth) => `${' '.repeat(depth)}- x`).join('\n');
    expect(extractList(staircase).at(-1)?.depth).toBe(1399);
    expect(extractList(`${' '.repeat(1_000_000)}- deep`)).toEqual([{ text: 'deep', depth: 0, ordered: false }]);
    expect(extractList(`- a\n${'  b\n'.repeat(250_000)}`)).toHaveLength(1);
  });
});
