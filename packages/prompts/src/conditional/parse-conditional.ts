import type { SourceLocation } from '../errors/prompt-error.js';
import type { ConditionalDiagnostic, ConditionalNode, ConditionalSection, ConditionalVariable } from './conditional-ast.js';

/** What {@link parseConditional} finds in a template. */
export interface ParsedConditional {
  readonly nodes: readonly ConditionalNode[];
  /** Every placeholder name, in first-appearance order, each once. */
  readonly variables: readonly string[];
  /** Unclosed `((` and stray `))`, in source order. */
  readonly diagnostics: readonly ConditionalDiagnostic[];
}

const LINE_FEED = 10;
const LEFT_PAREN = 40;
const RIGHT_PAREN = 41;
const LEFT_BRACE = 123;
const RIGHT_BRACE = 125;

/** Letters and digits of any script, and `_`: Python's `\w`, which DataKnobs' placeholders use. */
const NON_ASCII_NAME_CHAR = /^[\p{L}\p{N}]$/u;
const NON_ASCII_SPACE = /^\s$/;

/**
 * Literal text not yet cut from the source. Unclosed `((` found at the end turn into text and
 * join their neighbours, so cutting waits until a run can no longer grow.
 */
class TextRun {
  constructor(
    readonly start: number,
    public end: number,
    readonly location: SourceLocation,
  ) {}
}

type PendingChild = TextRun | ConditionalVariable | ConditionalSection;

/** The root, or a section whose `))` has not been seen yet. */
interface Frame {
  readonly children: PendingChild[];
  /** Names inside, nested sections included; a Set keeps first-appearance order. */
  readonly names: Set<string>;
  /** Offset of the `((` (unused for the root). */
  readonly start: number;
  readonly location: SourceLocation;
  /** Single `(` not yet matched by a `)`: while above zero, `))` is two single parentheses. */
  parenDepth: number;
}

/**
 * Parses a conditional template in one left-to-right pass (no regular expressions over the
 * template, no backtracking), into nodes that cover the source exactly.
 *
 * Tokens:
 * - `{{name}}`, optionally padded with whitespace inside the braces. A name is letters and digits
 *   of any script and `_` (Python's `\w`, as DataKnobs). Any other `{{...}}` (`{{user.name}}`,
 *   `{{ a | upper }}`) is text. Of `{{{name}}}`, the inner `{{name}}` is the placeholder.
 * - `((` opens a section, also after single parentheses (`f((x))` holds a section).
 * - Inside a section, single `(` and `)` pair up: while a `(` is unmatched, `))` counts as two
 *   single `)`. A `)` with no `(` to match is plain text and does not unbalance anything later
 *   (DataKnobs lets the count go negative, after which the section can never close; we keep it
 *   closable). Each section counts its own parentheses.
 * - `))` closes the innermost open section. Outside any section it is text, reported as a stray
 *   `))` unless single parentheses explain it (`(see (a))` is not reported).
 * - A `((` still open at the end is text (the section's contents stay in place as ordinary
 *   content), reported as unclosed. There is no second try: DataKnobs, after failing to close the
 *   `((` of `(((a))`, retries one character later and finds `(` plus a section; here the whole is
 *   text and a diagnostic (the retry makes DataKnobs quadratic on runs of `(`).
 *
 * Lines are counted at `\n`; columns are UTF-16 code units, both 1-based.
 *
 * Time is linear in the template's length, plus the per-section `variables` lists: a name nested
 * d sections deep appears in d lists (realistic templates nest two or three deep).
 */
export function parseConditional(source: string): ParsedConditional {
  const length = source.length;
  const root = newFrame(-1, { line: 1, column: 1 });
  const open: Frame[] = [];
  let frame = root;
  const allNames = new Set<string>();
  // In source order as pushed: a stray `))` needs no section open, so every one precedes the
  // `((` still open at the end.
  const diagnostics: ConditionalDiagnostic[] = [];

  let line = 1;
  let lineStart = 0;
  // The literal text run in progress starts here; it is cut when a token interrupts it.
  let textStart = 0;
  let textLine = 1;
  let textColumn = 1;

  const flushText = (end: number): void => {
    if (end > textStart) appendText(frame.children, textStart, end, { line: textLine, column: textColumn });
  };
  const resumeTextAt = (offset: number): void => {
    textStart = offset;
    textLine = line;
    textColumn = offset - lineStart + 1;
  };

  let i = 0;
  while (i < length) {
    const code = source.charCodeAt(i);
    if (code === LINE_FEED) {
      line++;
      lineStart = i + 1;
      i++;
    } else if (code === LEFT_BRACE) {
      const placeholder = source.charCodeAt(i + 1) === LEFT_BRACE ? scanPlaceholder(source, i) : undefined;
      if (placeholder === undefined) {
        i++;
        continue;
      }
      flushText(i);
      const { nameStart, nameEnd, end } = placeholder;
      const name = source.slice(nameStart, nameEnd);
      const variable: ConditionalVariable = {
        type: 'variable',
        name,
        raw: source.slice(i, end),
        padBefore: source.slice(i + 2, nameStart),
        padAfter: source.slice(nameEnd, end - 2),
        location: { line, column: i - lineStart + 1 },
      };
      frame.children.push(variable);
      frame.names.add(name);
      allNames.add(name);
      // Padding may span lines.
      for (let j = i + 2; j < end; j++) {
        if (source.charCodeAt(j) === LINE_FEED) {
          line++;
          lineStart = j + 1;
        }
      }
      i = end;
      resumeTextAt(i);
    } else if (code === LEFT_PAREN) {
      if (source.charCodeAt(i + 1) === LEFT_PAREN) {
        flushText(i);
        frame = newFrame(i, { line, column: i - lineStart + 1 });
        open.push(frame);
        i += 2;
        resumeTextAt(i);
      } else {
        frame.parenDepth++;
        i++;
      }
    } else if (code === RIGHT_PAREN) {
      if (source.charCodeAt(i + 1) === RIGHT_PAREN && frame.parenDepth === 0) {
        if (frame === root) {
          diagnostics.push({ message: "'))' closes no '((' section", location: { line, column: i - lineStart + 1 } });
          i += 2;
        } else {
          flushText(i);
          const closed = frame;
          open.pop();
          frame = open[open.length - 1] ?? root;
          const section: ConditionalSection = {
            type: 'section',
            children: materialize(source, closed.children),
            variables: [...closed.names],
            location: closed.location,
          };
          frame.children.push(section);
          for (const name of closed.names) frame.names.add(name);
          i += 2;
          resumeTextAt(i);
        }
      } else {
        if (frame.parenDepth > 0) frame.parenDepth--;
        i++;
      }
    } else {
      i++;
    }
  }
  flushText(length);

  // Sections still open are text: their `((` and what followed it move, in order, to the root.
  // Each opened after everything already in the one before it, so one forward sweep suffices.
  for (const unclosed of open) {
    diagnostics.push({ message: "'((' has no matching '))'", location: unclosed.location });
    appendText(root.children, unclosed.start, unclosed.start + 2, unclosed.location);
    for (const child of unclosed.children) {
      if (child instanceof TextRun) appendText(root.children, child.start, child.end, child.location);
      else root.children.push(child);
    }
  }

  return { nodes: materialize(source, root.children), variables: [...allNames], diagnostics };
}

function newFrame(start: number, location: SourceLocation): Frame {
  return { children: [], names: new Set(), start, location, parenDepth: 0 };
}

function appendText(children: PendingChild[], start: number, end: number, location: SourceLocation): void {
  const last = children[children.length - 1];
  if (last instanceof TextRun && last.end === start) last.end = end;
  else children.push(new TextRun(start, end, location));
}

function materialize(source: string, children: readonly PendingChild[]): ConditionalNode[] {
  return children.map((child) =>
    child instanceof TextRun ? { type: 'text', text: source.slice(child.start, child.end), location: child.location } : child,
  );
}

/** Matches `{{ name }}` at `start` (which holds `{{`); scans only whitespace and name characters. */
function scanPlaceholder(source: string, start: number): { nameStart: number; nameEnd: number; end: number } | undefined {
  const length = source.length;
  let j = start + 2;
  while (j < length && isSpace(source.charCodeAt(j))) j++;
  const nameStart = j;
  for (let step = j < length ? nameCharLength(source, j) : 0; step > 0; step = j < length ? nameCharLength(source, j) : 0) j += step;
  if (j === nameStart) return undefined;
  const nameEnd = j;
  while (j < length && isSpace(source.charCodeAt(j))) j++;
  if (source.charCodeAt(j) !== RIGHT_BRACE || source.charCodeAt(j + 1) !== RIGHT_BRACE) return undefined;
  return { nameStart, nameEnd, end: j + 2 };
}

/** Whitespace as JavaScript's `\s` (all of it in the BMP). */
function isSpace(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return NON_ASCII_SPACE.test(String.fromCharCode(code));
}

/** The length in UTF-16 units of the name character at `j`, or 0 when it is not one. */
function nameCharLength(source: string, j: number): number {
  const code = source.charCodeAt(j);
  if (code < 128) {
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 ? 1 : 0;
  }
  const char = String.fromCodePoint(source.codePointAt(j)!);
  return NON_ASCII_NAME_CHAR.test(char) ? char.length : 0;
}
