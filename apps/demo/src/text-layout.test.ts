import { describe, expect, it } from 'vitest';
import { heading, table, truncate, wrap } from './text-layout.js';

describe('text layout', () => {
  it('draws headings across the width', () => {
    expect(heading('1. The machine', 30)).toBe('\n── 1. The machine ────────────');
  });

  it('truncates to one line with an ellipsis', () => {
    expect(truncate('a\n b   c', 10)).toBe('a b c');
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
    expect(truncate('abcdefghij', 5)).toHaveLength(5);
  });

  it('wraps at word boundaries with a hanging indent, and cuts words longer than a line', () => {
    expect(wrap('one two three four five', 14, '> ')).toEqual(['> one two', '  three four', '  five']);
    expect(wrap('x'.repeat(25), 12, '', '')).toEqual(['x'.repeat(12), 'x'.repeat(12), 'x']);
    expect(wrap('', 20, '- ')).toEqual(['- ']);
  });

  it('aligns table columns, numbers to the right', () => {
    expect(table(['name', 'n'], [['a', '1'], ['bb', '22']], new Set([1]))).toEqual(['name   n', '----  --', 'a      1', 'bb    22']);
  });
});
