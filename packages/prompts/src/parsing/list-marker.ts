import { measureIndent } from './line-indent.js';

const SPACE = 0x20;
const TAB = 0x09;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const PERIOD = 0x2e;
const RIGHT_PAREN = 0x29;
const BULLET = 0x2022;
const MAX_NUMBER_DIGITS = 9;

/** The start of a list item line. */
export interface ListMarker {
  /** Indentation of the marker in columns. */
  readonly indent: number;
  /** True for `1.` and `1)`, false for `-`, `*`, `+` and `•`. */
  readonly ordered: boolean;
  /** Column where the item's text begins: continuation paragraphs after a blank line start there. */
  readonly contentColumn: number;
  /** The item's text on this line, trimmed. */
  readonly content: string;
}

/**
 * Reads `line` as a list item: optional indentation, then `-`, `*` or `+` followed by a space or
 * tab (so `**bold**` and `+1` are not items), `•` (a space after it optional, as models write it
 * both ways), or one to nine digits with `.` or `)` followed by a space or tab. An empty item (a
 * marker alone) has `content` `''`. A thematic break (`---`, `* * *`) is not an item.
 */
export function parseListMarker(line: string): ListMarker | undefined {
  const { columns, chars } = measureIndent(line);
  const code = line.charCodeAt(chars);
  let markerEnd: number;
  let ordered = false;
  if (code === 0x2d || code === 0x2a || code === 0x2b) {
    markerEnd = chars + 1;
    if (!isSpaceOrEnd(line, markerEnd) || isThematicBreak(line)) return undefined;
  } else if (code === BULLET) {
    markerEnd = chars + 1;
  } else if (code >= DIGIT_0 && code <= DIGIT_9) {
    let index = chars;
    while (index < line.length && index - chars < MAX_NUMBER_DIGITS + 1 && isDigit(line.charCodeAt(index))) index += 1;
    const delimiter = line.charCodeAt(index);
    if (index - chars > MAX_NUMBER_DIGITS || (delimiter !== PERIOD && delimiter !== RIGHT_PAREN)) return undefined;
    markerEnd = index + 1;
    if (!isSpaceOrEnd(line, markerEnd)) return undefined;
    ordered = true;
  } else {
    return undefined;
  }
  const rest = line.slice(markerEnd);
  const gap = measureIndent(rest);
  // A marker alone still has a text column one space past it.
  const contentColumn = columns + (markerEnd - chars) + (gap.chars === rest.length ? 1 : gap.columns);
  return { indent: columns, ordered, contentColumn, content: rest.trim() };
}

/** Whether `line` is a thematic break: three or more `-`, `*` or `_` (all the same), spaces between allowed. */
export function isThematicBreak(line: string): boolean {
  let marker = -1;
  let count = 0;
  for (let index = 0; index < line.length; index += 1) {
    const code = line.charCodeAt(index);
    if (code === SPACE || code === TAB) continue;
    if (marker === -1 && (code === 0x2d || code === 0x2a || code === 0x5f)) marker = code;
    if (code !== marker) return false;
    count += 1;
  }
  return count >= 3;
}

function isSpaceOrEnd(line: string, index: number): boolean {
  if (index >= line.length) return true;
  const code = line.charCodeAt(index);
  return code === SPACE || code === TAB;
}

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}
