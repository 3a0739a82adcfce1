import { measureIndent } from './line-indent.js';

const HASH = 0x23;
const SPACE = 0x20;
const TAB = 0x09;
const EQUALS = 0x3d;
const HYPHEN = 0x2d;
const MAX_LEVEL = 6;
const MAX_HEADING_INDENT = 3;

/** A heading line's level (1 to 6) and text. */
export interface HeadingLine {
  readonly level: number;
  readonly heading: string;
}

/**
 * Reads `line` as an ATX heading: up to three spaces, one to six `#`, then a space, a tab or the
 * end of the line (`#hashtag` is text). A closing run of `#` preceded by a space is dropped
 * (`## Title ##` is `Title`, while `# C#` keeps its `#`). Hand-written rather than a regular
 * expression, whose backtracking over a long run of spaces would be quadratic.
 */
export function parseAtxHeading(line: string): HeadingLine | undefined {
  const { columns, chars } = measureIndent(line);
  if (columns > MAX_HEADING_INDENT) return undefined;
  let index = chars;
  while (index < line.length && index - chars <= MAX_LEVEL && line.charCodeAt(index) === HASH) index += 1;
  const level = index - chars;
  if (level === 0 || level > MAX_LEVEL) return undefined;
  if (index < line.length && !isSpaceOrTab(line.charCodeAt(index))) return undefined;

  let end = line.length;
  while (end > index && isSpaceOrTab(line.charCodeAt(end - 1))) end -= 1;
  let closing = end;
  while (closing > index && line.charCodeAt(closing - 1) === HASH) closing -= 1;
  if (closing === index || isSpaceOrTab(line.charCodeAt(closing - 1))) end = closing;
  return { level, heading: line.slice(index, end).trim() };
}

/**
 * Reads `line` as a setext underline: up to three spaces, then `=` (level 1, any number) or at
 * least three `-` (level 2; shorter runs are too easily a stray dash), then only spaces. It makes
 * a heading only under a paragraph; elsewhere `---` is a thematic break.
 */
export function parseSetextUnderline(line: string): 1 | 2 | undefined {
  const { columns, chars } = measureIndent(line);
  if (columns > MAX_HEADING_INDENT) return undefined;
  const code = line.charCodeAt(chars);
  if (code !== EQUALS && code !== HYPHEN) return undefined;
  let index = chars;
  while (line.charCodeAt(index) === code) index += 1;
  const count = index - chars;
  if (measureIndent(line.slice(index)).chars !== line.length - index) return undefined;
  if (code === EQUALS) return 1;
  return count >= 3 ? 2 : undefined;
}

function isSpaceOrTab(code: number): boolean {
  return code === SPACE || code === TAB;
}
