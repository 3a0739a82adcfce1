import { closesFence, parseFenceOpening, type FenceOpening } from './fence-line.js';
import { readLines, type TextLine } from './text-lines.js';

/**
 * A line of a markdown text and its part in fenced code: ordinary text, a fence that opens a
 * block, a line inside a block, or the fence that closes it. Lists, headings and `Key: value`
 * lines are only looked for in `text` lines, so a `# comment` in a shell block is not a heading.
 */
export type MarkdownLine =
  | (TextLine & { readonly kind: 'text'; readonly fence: undefined })
  | (TextLine & { readonly kind: 'fence-open' | 'fence-content' | 'fence-close'; readonly fence: FenceOpening });

/**
 * Yields the lines of `text`, each classified. A block still open at the end (a truncated reply)
 * simply ends with `fence-content` lines, or with its `fence-open` line when it is empty.
 */
export function* readMarkdownLines(text: string): Generator<MarkdownLine, void, undefined> {
  let open: FenceOpening | undefined;
  for (const { text: lineText, start, end, next } of readLines(text)) {
    // Object literals of one shape rather than spreads: spreading a line costs several times more.
    if (open === undefined) {
      const fence = parseFenceOpening(lineText);
      if (fence === undefined) yield { text: lineText, start, end, next, kind: 'text', fence: undefined };
      else {
        open = fence;
        yield { text: lineText, start, end, next, kind: 'fence-open', fence };
      }
    } else if (closesFence(lineText, open)) {
      yield { text: lineText, start, end, next, kind: 'fence-close', fence: open };
      open = undefined;
    } else {
      yield { text: lineText, start, end, next, kind: 'fence-content', fence: open };
    }
  }
}
