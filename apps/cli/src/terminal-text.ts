// Stored text is data: printed to a terminal, an escape sequence in a message could move the
// cursor, recolor or retitle the terminal. Control characters other than newline and tab are
// shown as U+FFFD instead.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` with control characters (escape sequences included) replaced, newlines and tabs kept. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, '\uFFFD');
}

/** `text` on one line (whitespace runs collapsed), cut to `max` characters with `…`. */
export function shortText(text: string, max = 60): string {
  const flat = terminalSafe(text).replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}
