/** The width the demo lays its output out for. */
export const OUTPUT_WIDTH = 100;

/** A section heading: a blank line, then `── 3. Transcript ───…` across the output width. */
export function heading(title: string, width: number = OUTPUT_WIDTH): string {
  const text = `── ${title} `;
  return `\n${text}${'─'.repeat(Math.max(3, width - text.length))}`;
}

/** `text` on one line (whitespace runs become one space), cut to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (max <= 1) return flat.slice(0, Math.max(0, max));
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * Wraps `text` at word boundaries to lines of at most `width` characters; the first line starts
 * with `firstPrefix`, the others with `restPrefix` (same length, for a hanging indent). A word
 * longer than a line is cut.
 */
export function wrap(text: string, width: number, firstPrefix: string, restPrefix: string = ' '.repeat(firstPrefix.length)): string[] {
  const room = Math.max(10, width - firstPrefix.length);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    for (let piece = word; piece !== ''; ) {
      const chunk = piece.slice(0, room);
      piece = piece.slice(room);
      if (line === '') line = chunk;
      else if (line.length + 1 + chunk.length <= room) line += ` ${chunk}`;
      else {
        lines.push(line);
        line = chunk;
      }
    }
  }
  lines.push(line);
  return lines.map((l, i) => `${i === 0 ? firstPrefix : restPrefix}${l}`);
}

/** Columns padded to a common width: numbers (columns in `rightAligned`) to the right, the rest to the left. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, rightAligned: ReadonlySet<number> = new Set()): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
