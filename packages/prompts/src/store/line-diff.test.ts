import { describe, expect, it } from 'vitest';
import { diffLines, renderUnifiedDiff, type DiffLine } from './line-diff.js';

function before(lines: readonly DiffLine[]): string[] {
  return lines.filter((line) => line.op !== 'add').map((line) => line.line);
}

function after(lines: readonly DiffLine[]): string[] {
  return lines.filter((line) => line.op !== 'remove').map((line) => line.line);
}

function edits(lines: readonly DiffLine[]): number {
  return lines.filter((line) => line.op !== 'equal').length;
}

// The minimal number of added plus removed lines, by the textbook LCS table.
function minimalEdits(a: readonly string[], b: readonly string[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  return a.length + b.length - 2 * table[0]![0]!;
}

// A small deterministic generator (LCG), so a failure reproduces.
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('diffLines', () => {
  it('marks every line of equal texts equal', () => {
    expect(diffLines('a\nb', 'a\nb')).toEqual([
      { op: 'equal', line: 'a' },
      { op: 'equal', line: 'b' },
    ]);
    expect(diffLines('', '')).toEqual([]);
  });

  it('treats a final newline as the end of the last line', () => {
    expect(diffLines('a\nb\n', 'a\nb')).toEqual([
      { op: 'equal', line: 'a' },
      { op: 'equal', line: 'b' },
    ]);
    expect(diffLines('a\n\n', 'a\n')).toEqual([
      { op: 'equal', line: 'a' },
      { op: 'remove', line: '' },
    ]);
  });

  it('adds or removes everything against an empty text', () => {
    expect(diffLines('', 'x\ny')).toEqual([
      { op: 'add', line: 'x' },
      { op: 'add', line: 'y' },
    ]);
    expect(diffLines('x', '')).toEqual([{ op: 'remove', line: 'x' }]);
  });

  it("finds Myers' paper example with 5 edits", () => {
    const a = 'A\nB\nC\nA\nB\nB\nA';
    const b = 'C\nB\nA\nB\nA\nC';
    const lines = diffLines(a, b);
    expect(edits(lines)).toBe(5);
    expect(before(lines)).toEqual(a.split('\n'));
    expect(after(lines)).toEqual(b.split('\n'));
  });

  it('produces a minimal script that rebuilds both texts, on random inputs', () => {
    const random = generator(42);
    for (let round = 0; round < 300; round++) {
      const make = (): string[] => Array.from({ length: Math.floor(random() * 14) }, () => 'abcd'[Math.floor(random() * 4)]!);
      const a = make();
      const b = make();
      const lines = diffLines(a.join('\n'), b.join('\n'));
      expect(before(lines)).toEqual(a);
      expect(after(lines)).toEqual(b);
      expect(edits(lines)).toBe(minimalEdits(a, b));
    }
  });

  it('keeps template markers and special tokens as plain lines', () => {
    const lines = diffLines('{{ a }}\n<|endoftext|>\n{% if x %}', '{{ a }}\n<|endoftext|>\n{% endif %}');
    expect(lines).toEqual([
      { op: 'equal', line: '{{ a }}' },
      { op: 'equal', line: '<|endoftext|>' },
      { op: 'remove', line: '{% if x %}' },
      { op: 'add', line: '{% endif %}' },
    ]);
  });

  it('past maxEditDistance, still rebuilds both texts with the middle replaced whole', () => {
    const a = ['same', 'a1', 'a2', 'a3', 'same end'].join('\n');
    const b = ['same', 'b1', 'a2', 'b3', 'same end'].join('\n');
    const bounded = diffLines(a, b, { maxEditDistance: 2 });
    expect(before(bounded)).toEqual(a.split('\n'));
    expect(after(bounded)).toEqual(b.split('\n'));
    expect(edits(bounded)).toBe(6);
    expect(edits(diffLines(a, b))).toBe(4);
  });

  it('diffs long texts with a few changes quickly', () => {
    const a = Array.from({ length: 20_000 }, (_, i) => `line ${i}`);
    const b = [...a];
    b[5_000] = 'changed';
    b.splice(15_000, 0, 'inserted');
    const started = performance.now();
    const lines = diffLines(a.join('\n'), b.join('\n'));
    expect(edits(lines)).toBe(3);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('renderUnifiedDiff', () => {
  it('renders nothing for equal texts', () => {
    expect(renderUnifiedDiff(diffLines('a', 'a'))).toBe('');
  });

  it('splits distant changes into hunks with 3 lines of context', () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i + 1}`);
    const b = [...a];
    b[1] = 'changed 2';
    b.splice(15, 1);
    expect(renderUnifiedDiff(diffLines(a.join('\n'), b.join('\n')), { fromLabel: 'old', toLabel: 'new' })).toBe(
      [
        '--- old',
        '+++ new',
        '@@ -1,5 +1,5 @@',
        ' l1',
        '-l2',
        '+changed 2',
        ' l3',
        ' l4',
        ' l5',
        '@@ -13,7 +13,6 @@',
        ' l13',
        ' l14',
        ' l15',
        '-l16',
        ' l17',
        ' l18',
        ' l19',
        '',
      ].join('\n'),
    );
  });

  it('joins changes whose context overlaps into one hunk', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
    const b = ['1', 'two', '3', '4', '5', '6', '7', '8', 'nine', '10'];
    const out = renderUnifiedDiff(diffLines(a.join('\n'), b.join('\n')), { context: 3 });
    expect(out.match(/^@@/gm)).toHaveLength(1);
    expect(out).toContain('@@ -1,10 +1,10 @@');
    expect(renderUnifiedDiff(diffLines(a.join('\n'), b.join('\n')), { context: 1 }).match(/^@@/gm)).toHaveLength(2);
  });

  it('numbers an empty side by the line before it', () => {
    expect(renderUnifiedDiff(diffLines('', 'x\ny'))).toBe('--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n');
    expect(renderUnifiedDiff(diffLines('x', ''))).toBe('--- a\n+++ b\n@@ -1,1 +0,0 @@\n-x\n');
  });
});
