const SPACE = 0x20;
const TAB = 0x09;
const TAB_WIDTH = 4;

/** The leading spaces and tabs of a line. */
export interface LineIndent {
  /** Width in columns, a tab advancing to the next multiple of 4 (as in CommonMark). */
  readonly columns: number;
  /** How many characters the indentation takes. */
  readonly chars: number;
}

/** Measures the leading spaces and tabs of `line`. */
export function measureIndent(line: string): LineIndent {
  let columns = 0;
  let chars = 0;
  for (; chars < line.length; chars += 1) {
    const code = line.charCodeAt(chars);
    if (code === SPACE) columns += 1;
    else if (code === TAB) columns += TAB_WIDTH - (columns % TAB_WIDTH);
    else break;
  }
  return { columns, chars };
}

/**
 * Removes up to `columns` columns of leading indentation from `line`: what a fenced block's
 * content loses when its opening fence is indented. A tab that straddles the limit is kept.
 */
export function removeIndent(line: string, columns: number): string {
  let column = 0;
  let index = 0;
  while (index < line.length && column < columns) {
    const code = line.charCodeAt(index);
    if (code === SPACE) column += 1;
    else if (code === TAB) {
      const width = TAB_WIDTH - (column % TAB_WIDTH);
      if (column + width > columns) break;
      column += width;
    } else break;
    index += 1;
  }
  return line.slice(index);
}

/** Whether `line` holds nothing but spaces and tabs. */
export function isBlankLine(line: string): boolean {
  return measureIndent(line).chars === line.length;
}
