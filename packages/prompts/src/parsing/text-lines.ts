/** One line of a text, without its line break, with where it sits. */
export interface TextLine {
  readonly text: string;
  /** Offset of the line's first character. */
  readonly start: number;
  /** Offset just past the line's last character (where its line break, if any, begins). */
  readonly end: number;
  /** Offset where the next line begins (past the line break); `text.length` for the last line. */
  readonly next: number;
}

/**
 * Yields the lines of `text` in order. `\r\n`, `\n` and a lone `\r` each end a line. A final line
 * break does not start another (empty) line; an empty text has no lines.
 *
 * Linear in the length of `text`: the next `\n` and `\r` are each searched for only once their
 * previous position has been passed, so a text with no `\r` is not rescanned per line.
 */
export function* readLines(text: string): Generator<TextLine, void, undefined> {
  const length = text.length;
  let nextLineFeed = text.indexOf('\n');
  let nextCarriageReturn = text.indexOf('\r');
  let start = 0;
  while (start < length) {
    if (nextLineFeed !== -1 && nextLineFeed < start) nextLineFeed = text.indexOf('\n', start);
    if (nextCarriageReturn !== -1 && nextCarriageReturn < start) nextCarriageReturn = text.indexOf('\r', start);
    const end = firstOf(nextLineFeed, nextCarriageReturn, length);
    let next = end;
    if (end < length) next = text.startsWith('\r\n', end) ? end + 2 : end + 1;
    yield { text: text.slice(start, end), start, end, next };
    start = next;
  }
}

/** Replaces every `\r\n` and lone `\r` with `\n`. */
export function normaliseLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

function firstOf(a: number, b: number, otherwise: number): number {
  if (a === -1) return b === -1 ? otherwise : b;
  return b === -1 ? a : Math.min(a, b);
}
