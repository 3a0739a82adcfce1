import { measureIndent } from './line-indent.js';

const BACKTICK = 0x60;
const TILDE = 0x7e;
const MIN_FENCE_LENGTH = 3;

/** The line that opens a fenced code block. */
export interface FenceOpening {
  /** The fence character. */
  readonly marker: '`' | '~';
  /** How many fence characters open the block; the closing fence needs at least as many. */
  readonly length: number;
  /** Indentation of the fence in columns; content lines lose up to this much. */
  readonly indent: number;
  /** Everything after the fence characters, trimmed (`ts title="x"`). */
  readonly info: string;
  /** The info string's first word (`ts`), or `''`. */
  readonly language: string;
}

/**
 * Reads `line` as an opening fence: three or more backticks or tildes, then an info string. As in
 * CommonMark, a backtick fence's info string may not hold a backtick (so ```` ```inline``` ```` is
 * not a fence). Unlike CommonMark, any indentation is allowed: model replies put fences inside
 * list items at whatever depth the item has.
 */
export function parseFenceOpening(line: string): FenceOpening | undefined {
  const { columns, chars } = measureIndent(line);
  const code = line.charCodeAt(chars);
  if (code !== BACKTICK && code !== TILDE) return undefined;
  const runEnd = endOfRun(line, chars, code);
  const length = runEnd - chars;
  if (length < MIN_FENCE_LENGTH) return undefined;
  const info = line.slice(runEnd).trim();
  if (code === BACKTICK && info.includes('`')) return undefined;
  const firstSpace = info.search(/\s/);
  return {
    marker: code === BACKTICK ? '`' : '~',
    length,
    indent: columns,
    info,
    language: firstSpace === -1 ? info : info.slice(0, firstSpace),
  };
}

/** Whether `line` closes the block `fence` opened: the same character, at least as many, nothing after. */
export function closesFence(line: string, fence: FenceOpening): boolean {
  const { chars } = measureIndent(line);
  const code = fence.marker === '`' ? BACKTICK : TILDE;
  if (line.charCodeAt(chars) !== code) return false;
  const runEnd = endOfRun(line, chars, code);
  return runEnd - chars >= fence.length && measureIndent(line.slice(runEnd)).chars === line.length - runEnd;
}

function endOfRun(line: string, from: number, code: number): number {
  let index = from;
  while (line.charCodeAt(index) === code) index += 1;
  return index;
}
