/** One line of a diff: kept, added (only in the new text) or removed (only in the old text). */
export interface DiffLine {
  /** `equal` in both texts, `add` only in the new one, `remove` only in the old one. */
  op: 'equal' | 'add' | 'remove';
  /** The line's text, without its `\n`. */
  line: string;
}

/** Options of `diffLines`. */
export interface DiffLinesOptions {
  /**
   * Past this many differing lines (after the common head and tail are set aside) the middle is
   * reported as removed-then-added instead of searched for a minimal script, which bounds the
   * search's memory (it grows with the square of this number). Default 2,000.
   */
  maxEditDistance?: number;
}

/**
 * A minimal line diff of two texts (Myers' O(ND) algorithm): the lines of `before` and `after`
 * in order, each marked equal, removed or added. Lines are split on `\n`; a final newline ends
 * the last line rather than starting an empty one, so `"a\n"` and `"a"` compare equal.
 */
export function diffLines(before: string, after: string, options: DiffLinesOptions = {}): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  // The common head and tail are equal lines whatever the middle does; setting them aside
  // makes the usual edit (a few changed lines in a long prompt) cheap.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const middle = diffMiddle(a.slice(head, a.length - tail), b.slice(head, b.length - tail), options.maxEditDistance ?? 2_000);
  return [
    ...a.slice(0, head).map((line): DiffLine => ({ op: 'equal', line })),
    ...middle,
    ...a.slice(a.length - tail).map((line): DiffLine => ({ op: 'equal', line })),
  ];
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

// Myers, "An O(ND) Difference Algorithm and Its Variations" (1986): for each edit distance d,
// `furthest[k]` is the furthest x reached on diagonal k = x - y. The rows are kept (only the
// diagonals -d..d of row d) to walk the path back.
function diffMiddle(a: readonly string[], b: readonly string[], maxEditDistance: number): DiffLine[] {
  const n = a.length;
  const m = b.length;
  // The length difference is a lower bound on the edit distance: past the limit, don't search.
  if (n === 0 || m === 0 || Math.abs(n - m) > maxEditDistance) return replaceAll(a, b);
  const limit = Math.min(n + m, maxEditDistance);
  const offset = limit + 1;
  const furthest = new Int32Array(2 * limit + 3);
  const rows: Int32Array[] = [];
  for (let d = 0; d <= limit; d++) {
    rows.push(furthest.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && furthest[offset + k - 1]! < furthest[offset + k + 1]!);
      let x = down ? furthest[offset + k + 1]! : furthest[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      furthest[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, rows);
    }
  }
  return replaceAll(a, b);
}

function backtrack(a: readonly string[], b: readonly string[], rows: readonly Int32Array[]): DiffLine[] {
  const reversed: DiffLine[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = rows.length - 1; d >= 0; d--) {
    const row = rows[d]!;
    // Row d holds diagonals -d-1..d+1 at indexes 0..2d+2.
    const at = (k: number): number => row[k + d + 1]!;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const previousK = down ? k + 1 : k - 1;
    const previousX = d === 0 ? 0 : at(previousK);
    const previousY = d === 0 ? 0 : previousX - previousK;
    while (x > previousX && y > previousY) {
      reversed.push({ op: 'equal', line: a[x - 1]! });
      x--;
      y--;
    }
    if (d > 0) {
      if (down) reversed.push({ op: 'add', line: b[y - 1]! });
      else reversed.push({ op: 'remove', line: a[x - 1]! });
    }
    x = previousX;
    y = previousY;
  }
  return reversed.reverse();
}

function replaceAll(a: readonly string[], b: readonly string[]): DiffLine[] {
  return [...a.map((line): DiffLine => ({ op: 'remove', line })), ...b.map((line): DiffLine => ({ op: 'add', line }))];
}

/** Options of `renderUnifiedDiff`. */
export interface UnifiedDiffOptions {
  /** The header name of the old text (`--- a` by default). */
  fromLabel?: string;
  /** The header name of the new text (`+++ b` by default). */
  toLabel?: string;
  /** Equal lines shown around each change; default 3. */
  context?: number;
}

/**
 * Renders a diff in the unified format (`--- from`, `+++ to`, `@@ -l,s +l,s @@` hunks with
 * `context` equal lines around changes). Equal texts render as the empty string.
 */
export function renderUnifiedDiff(lines: readonly DiffLine[], options: UnifiedDiffOptions = {}): string {
  const context = options.context ?? 3;
  if (!lines.some((line) => line.op !== 'equal')) return '';
  // Line numbers (1-based) of each entry in the old and new text.
  const oldNumber: number[] = [];
  const newNumber: number[] = [];
  let oldLine = 1;
  let newLine = 1;
  for (const line of lines) {
    oldNumber.push(oldLine);
    newNumber.push(newLine);
    if (line.op !== 'add') oldLine++;
    if (line.op !== 'remove') newLine++;
  }
  const out = [`--- ${options.fromLabel ?? 'a'}`, `+++ ${options.toLabel ?? 'b'}`];
  let index = 0;
  while (index < lines.length) {
    const firstChange = lines.findIndex((line, i) => i >= index && line.op !== 'equal');
    if (firstChange === -1) break;
    const start = Math.max(index, firstChange - context);
    // Extend the hunk while the next change is within 2 * context equal lines.
    let end = firstChange;
    let scan = firstChange;
    while (scan < lines.length) {
      if (lines[scan]!.op !== 'equal') {
        end = scan;
        scan++;
        continue;
      }
      let run = 0;
      while (scan + run < lines.length && lines[scan + run]!.op === 'equal') run++;
      if (scan + run >= lines.length || run > 2 * context) break;
      scan += run;
    }
    const stop = Math.min(lines.length, end + context + 1);
    const hunk = lines.slice(start, stop);
    const oldCount = hunk.filter((line) => line.op !== 'add').length;
    const newCount = hunk.filter((line) => line.op !== 'remove').length;
    // Unified-diff convention: an empty side is numbered by the line before it.
    const oldStart = oldCount === 0 ? oldNumber[start]! - 1 : oldNumber[start]!;
    const newStart = newCount === 0 ? newNumber[start]! - 1 : newNumber[start]!;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const line of hunk) out.push(`${line.op === 'equal' ? ' ' : line.op === 'add' ? '+' : '-'}${line.line}`);
    index = stop;
  }
  return `${out.join('\n')}\n`;
}
