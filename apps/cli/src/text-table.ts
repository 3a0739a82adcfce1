/** Alignment of a column. */
export type ColumnAlign = 'left' | 'right';

export interface TableColumn {
  header: string;
  align?: ColumnAlign | undefined;
}

/** Visible width of a cell: ANSI color codes do not take space. */
function visibleWidth(text: string): number {
    return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

function pad(text: string, width: number, align: ColumnAlign): string {
  const fill = ' '.repeat(Math.max(0, width - visibleWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/**
 * A plain-text table: a header row, a rule, then the rows, columns padded to their widest
 * cell and separated by two spaces. Trailing spaces are trimmed.
 */
export function textTable(columns: readonly TableColumn[], rows: readonly (readonly string[])[], options: { header?: (text: string) => string } = {}): string {
  const widths = columns.map((column, i) => Math.max(visibleWidth(column.header), ...rows.map((row) => visibleWidth(row[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    columns
      .map((column, i) => pad(cells[i] ?? '', widths[i]!, column.align ?? 'left'))
      .join('  ')
      .trimEnd();
  const header = line(columns.map((c) => c.header));
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [options.header ? options.header(header) : header, rule, ...rows.map(line)].join('\n');
}
