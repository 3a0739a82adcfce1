import { describe, expect, it } from 'vitest';
import { normaliseLineBreaks, readLines } from './text-lines.js';

describe('readLines', () => {
  it('splits at \\n, \\r\\n and a lone \\r, with offsets', () => {
    const text = 'a\r\nbb\rc\n\nd';
    expect([...readLines(text)]).toEqual([
      { text: 'a', start: 0, end: 1, next: 3 },
      { text: 'bb', start: 3, end: 5, next: 6 },
      { text: 'c', start: 6, end: 7, next: 8 },
      { text: '', start: 8, end: 8, next: 9 },
      { text: 'd', start: 9, end: 10, next: 10 },
    ]);
  });

  it('does not add an empty line after a final line break, and yields nothing for empty text', () => {
    expect([...readLines('x\n')].map((line) => line.text)).toEqual(['x']);
    expect([...readLines('')]).toEqual([]);
  });

  it('stays linear when one kind of line break is rare', () => {
    const text = `${'line\n'.repeat(200_000)}\r`;
    let count = 0;
    for (const line of readLines(text)) count += line.text === 'line' ? 1 : 0;
    expect(count).toBe(200_000);
  });
});

describe('normaliseLineBreaks', () => {
  it('turns \\r\\n and \\r into \\n', () => {
    expect(normaliseLineBreaks('a\r\nb\rc\nd')).toBe('a\nb\nc\nd');
  });
});
