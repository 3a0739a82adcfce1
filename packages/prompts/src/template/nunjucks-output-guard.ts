/**
 * Rewrites every plain output `{{ name }}` / `{{ a.b.c }}` of a nunjucks template (no filters,
 * no calls, no operators) into `{{ name | kitOutput("name", line, column) }}`, skipping comments and
 * `{% raw %}` / `{% verbatim %}` blocks. The filter also gets the output's line and column, which
 * nunjucks drops from errors thrown inside filters. The `kitOutput` filter then decides what an undefined
 * value renders as (kept as `{{name}}`, or an error), which nunjucks itself cannot: its only
 * switch, `throwOnUndefined`, also fires inside expressions where undefined is legitimate.
 *
 * One pass over the text, linear in its length.
 */
export function guardPlainOutputs(source: string): string {
  const out: string[] = [];
  let last = 0;
  let i = 0;
  // Line and column of `{{`, counted incrementally so the whole pass stays linear.
  let line = 1;
  let lineStart = 0;
  let counted = 0;
  const positionOf = (index: number): [number, number] => {
    for (; counted < index; counted++) {
      if (source.charCodeAt(counted) === 10) {
        line++;
        lineStart = counted + 1;
      }
    }
    return [line, index - lineStart + 1];
  };
  while (i < source.length) {
    const open = source.indexOf('{', i);
    if (open === -1 || open + 1 >= source.length) break;
    const next = source[open + 1];
    if (next === '#') {
      const end = source.indexOf('#}', open + 2);
      if (end === -1) break;
      i = end + 2;
    } else if (next === '%') {
      RAW_START.lastIndex = open;
      const raw = RAW_START.exec(source);
      if (raw !== null) {
        const endTag = new RegExp(`\\{%-?\\s*end${raw[1]}\\s*-?%\\}`, 'g');
        endTag.lastIndex = RAW_START.lastIndex;
        const end = endTag.exec(source);
        if (end === null) break;
        i = endTag.lastIndex;
      } else {
        const end = source.indexOf('%}', open + 2);
        if (end === -1) break;
        i = end + 2;
      }
    } else if (next === '{') {
      PLAIN_OUTPUT.lastIndex = open;
      const plain = PLAIN_OUTPUT.exec(source);
      if (plain !== null) {
        const [, trimLeft, path, trimRight] = plain;
        const [atLine, atColumn] = positionOf(open);
        out.push(source.slice(last, open), `{{${trimLeft} ${path} | ${OUTPUT_FILTER}("${path}", ${atLine}, ${atColumn}) ${trimRight}}}`);
        last = PLAIN_OUTPUT.lastIndex;
        i = last;
      } else {
        const end = source.indexOf('}}', open + 2);
        if (end === -1) break;
        i = end + 2;
      }
    } else {
      i = open + 1;
    }
  }
  if (last === 0) return source;
  out.push(source.slice(last));
  return out.join('');
}

/** The filter name `guardPlainOutputs` inserts; registered on Kit's nunjucks environments. */
export const OUTPUT_FILTER = 'kitOutput';

const RAW_START = /\{%-?\s*(raw|verbatim)\s*-?%\}/y;
const PLAIN_OUTPUT = /\{\{(-?)\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*(-?)\}\}/y;
