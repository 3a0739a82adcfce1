import { describe, expect, it } from 'vitest';
import { shortText, terminalSafe } from './terminal-text.js';
import { textTable } from './text-table.js';

describe('textTable', () => {
  it('pads columns to the widest cell and aligns numbers right', () => {
    const table = textTable(
      [{ header: 'name' }, { header: 'n', align: 'right' }],
      [
        ['control', '7'],
        ['warm', '120'],
      ],
    );
    expect(table).toBe(['name       n', '───────  ───', 'control    7', 'warm     120'].join('\n'));
  });

  it('does not count color codes as width', () => {
    const table = textTable([{ header: 'a' }, { header: 'b' }], [['\u001b[1mx\u001b[22m', 'y']]);
    expect(table.split('\n')[2]).toBe('\u001b[1mx\u001b[22m  y');
  });
});

describe('terminal text', () => {
  it('shows escape sequences in stored text as data, keeping newlines', () => {
    expect(terminalSafe('a\u001b]0;pwned\u0007b\nc\td')).toBe('a\uFFFD]0;pwned\uFFFDb\nc\td');
  });

  it('shortens to one line', () => {
    expect(shortText('hello\n  world')).toBe('hello world');
    expect(shortText('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
