import { isBlankLine, measureIndent } from './line-indent.js';
import { isThematicBreak, parseListMarker } from './list-marker.js';
import { readMarkdownLines } from './markdown-lines.js';
import { assertText } from './parser-arguments.js';

/** One item of a list in a response. */
export interface ListItem {
  /** The item's text, continuation lines joined with a space, trimmed; markdown inside is kept. */
  readonly text: string;
  /** 0 for a top-level item, 1 for an item nested in one, and so on. */
  readonly depth: number;
  /** True for numbered items (`1.`, `1)`), false for bullets. */
  readonly ordered: boolean;
}

/** An item still taking continuation lines. */
interface OpenItem {
  readonly indent: number;
  readonly contentColumn: number;
  readonly depth: number;
  readonly ordered: boolean;
  readonly parts: string[];
}

/**
 * The items of every list in `text`, flattened in order, nested items carrying their `depth`.
 * Items are bullet lines (`-`, `*`, `+`, `•`) and numbered lines (`1.`, `1)`). A line indented
 * deeper than its item's marker continues the item (after a blank line too, when indented at
 * least as far as the item's text), and is joined to it with a space. Any other line ends the
 * list. An item is nested when its marker is indented deeper than the item before it; a shallower
 * one returns to the level it matches. Lines in fenced code blocks are never items, and empty
 * items are left out. Linear in the length of `text`.
 *
 * @example
 * extractList('Steps:\n1) Install\n2) Configure\n   - set the key\n');
 * // [{ text: 'Install', depth: 0, ordered: true }, { text: 'Configure', depth: 0, ordered: true },
 * //  { text: 'set the key', depth: 1, ordered: false }]
 */
export function extractList(text: string): ListItem[] {
  assertText('text', text);
  const items: ListItem[] = [];
  /** Marker indentation of each open nesting level, outermost first. */
  const levels: number[] = [];
  let item: OpenItem | undefined;
  let afterBlank = false;

  const finishItem = (): void => {
    if (item === undefined) return;
    const joined = item.parts.join(' ').trim();
    if (joined !== '') items.push({ text: joined, depth: item.depth, ordered: item.ordered });
    item = undefined;
  };
  const endList = (): void => {
    finishItem();
    levels.length = 0;
    afterBlank = false;
  };

  for (const line of readMarkdownLines(text)) {
    if (line.kind === 'fence-content' || line.kind === 'fence-close') continue;
    const indent = measureIndent(line.text);
    if (line.kind === 'fence-open') {
      // A block indented under the item belongs to it; text after it reads as a new paragraph.
      if (item !== undefined && indent.columns > item.indent) afterBlank = true;
      else endList();
      continue;
    }
    if (isBlankLine(line.text)) {
      afterBlank = true;
      continue;
    }
    const marker = parseListMarker(line.text);
    if (marker !== undefined) {
      finishItem();
      while (levels.length > 0 && (levels[levels.length - 1] ?? 0) > marker.indent) levels.pop();
      if (levels.length === 0 || (levels[levels.length - 1] ?? 0) < marker.indent) levels.push(marker.indent);
      item = {
        indent: marker.indent,
        contentColumn: marker.contentColumn,
        depth: levels.length - 1,
        ordered: marker.ordered,
        parts: [marker.content],
      };
      afterBlank = false;
      continue;
    }
    if (item !== undefined && continuesItem(item, line.text, indent.columns, afterBlank)) {
      item.parts.push(line.text.trim());
      afterBlank = false;
      continue;
    }
    endList();
  }
  finishItem();
  return items;
}

/** The texts of {@link extractList}'s items, depth and kind dropped. */
export function extractListStrings(text: string): string[] {
  return extractList(text).map((item) => item.text);
}

/** Whether a line that is neither blank nor an item continues `item`. */
function continuesItem(item: OpenItem, line: string, indent: number, afterBlank: boolean): boolean {
  if (isThematicBreak(line) || indent <= item.indent) return false;
  return !afterBlank || indent >= item.contentColumn;
}
