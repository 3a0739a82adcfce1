import { isBlankLine } from './line-indent.js';
import { isThematicBreak, parseListMarker } from './list-marker.js';
import { parseAtxHeading, parseSetextUnderline } from './markdown-heading.js';
import { readMarkdownLines } from './markdown-lines.js';
import { assertText } from './parser-arguments.js';
import { normaliseLineBreaks } from './text-lines.js';

/** A stretch of a response under one heading. */
export interface MarkdownSection {
  /** The heading's text as written (markdown inside kept); `''` for text before the first heading. */
  readonly heading: string;
  /** 1 to 6 for headings, 0 for text before the first heading. */
  readonly level: number;
  /**
   * The text from the heading to the next heading of any level, trimmed, line breaks as `\n`. A
   * section's subsections are sections of their own, not part of its content.
   */
  readonly content: string;
}

/** A heading found, with the offsets that delimit the sections around it. */
interface HeadingMark {
  readonly heading: string;
  readonly level: number;
  /** Where the heading's own lines begin: the previous section's content ends here. */
  readonly start: number;
  /** Where this section's content begins. */
  readonly contentStart: number;
}

/**
 * The sections of a markdown reply, in order: each ATX heading (`#` to `######`, closing `#`s
 * dropped) and each setext heading (a paragraph underlined with `===` or `---`) starts one that
 * runs to the next heading. Text before the first heading becomes a section with heading `''` and
 * level 0, left out when blank; a text with no headings is that one section. Lines inside fenced
 * code blocks are never headings, so a `# comment` in a shell block stays content. Linear in the
 * length of `text`.
 *
 * @example
 * extractSections('Intro\n## Answer ##\n42\n## Why\nBecause.');
 * // [{ heading: '', level: 0, content: 'Intro' }, { heading: 'Answer', level: 2, content: '42' },
 * //  { heading: 'Why', level: 2, content: 'Because.' }]
 */
export function extractSections(text: string): MarkdownSection[] {
  assertText('text', text);
  const marks = findHeadings(text);
  const sections: MarkdownSection[] = [];
  const preamble = sectionContent(text, 0, marks[0]?.start ?? text.length);
  if (preamble !== '') sections.push({ heading: '', level: 0, content: preamble });
  for (const [index, mark] of marks.entries()) {
    const end = marks[index + 1]?.start ?? text.length;
    sections.push({ heading: mark.heading, level: mark.level, content: sectionContent(text, mark.contentStart, end) });
  }
  return sections;
}

/**
 * The first section whose heading is `heading`, compared case-insensitively with surrounding and
 * repeated whitespace ignored; `''` finds the text before the first heading. `undefined` when no
 * heading matches.
 */
export function findSection(text: string, heading: string): MarkdownSection | undefined {
  assertText('heading', heading);
  const wanted = normaliseHeading(heading);
  return extractSections(text).find((section) => normaliseHeading(section.heading) === wanted);
}

function findHeadings(text: string): HeadingMark[] {
  const marks: HeadingMark[] = [];
  // The paragraph in progress, which a setext underline would turn into a heading.
  let paragraph: { start: number; lines: string[] } | undefined;
  // A list item and the lines that continue it are not a paragraph an underline could claim.
  let inListItem = false;
  for (const line of readMarkdownLines(text)) {
    if (line.kind !== 'text') {
      paragraph = undefined;
      inListItem = false;
      continue;
    }
    if (isBlankLine(line.text)) {
      paragraph = undefined;
      inListItem = false;
      continue;
    }
    const atx = parseAtxHeading(line.text);
    if (atx !== undefined) {
      marks.push({ heading: atx.heading, level: atx.level, start: line.start, contentStart: line.next });
      paragraph = undefined;
      inListItem = false;
      continue;
    }
    const underline = paragraph === undefined ? undefined : parseSetextUnderline(line.text);
    if (paragraph !== undefined && underline !== undefined) {
      marks.push({ heading: paragraph.lines.join(' '), level: underline, start: paragraph.start, contentStart: line.next });
      paragraph = undefined;
      continue;
    }
    if (isThematicBreak(line.text)) {
      paragraph = undefined;
      inListItem = false;
      continue;
    }
    if (inListItem || parseListMarker(line.text) !== undefined) {
      inListItem = true;
      paragraph = undefined;
      continue;
    }
    if (paragraph === undefined) paragraph = { start: line.start, lines: [] };
    paragraph.lines.push(line.text.trim());
  }
  return marks;
}

function sectionContent(text: string, start: number, end: number): string {
  return start >= end ? '' : normaliseLineBreaks(text.slice(start, end).trim());
}

function normaliseHeading(heading: string): string {
  return heading.trim().replace(/\s+/g, ' ').toLowerCase();
}
