import { locateCodeBlocks, type LocatedCodeBlock } from './extract-code-blocks.js';
import { findJsonSpans, type TextSpan } from './json-span-scanner.js';

/** Where a JSON value was found: a block tagged `json`, another fenced block, or the text itself. */
export type JsonSource = 'json-fence' | 'fence' | 'text';

/** A JSON value found in a response. */
export interface JsonCandidate {
  readonly value: unknown;
  readonly source: JsonSource;
  /** The fenced block (fences included) or the JSON text itself. */
  readonly span: TextSpan;
}

/**
 * The JSON values of `text`, most preferred first, produced lazily so that a caller that takes
 * the first one does not pay for the rest:
 * 1. blocks tagged `json` (any case) whose whole content parses: any JSON value, scalars too,
 *    since the tag says the content is JSON;
 * 2. other fenced blocks whose whole content is a JSON object or array;
 * 3. JSON objects and arrays in the text (see {@link findJsonSpans}), including inside fenced
 *    blocks that did not parse as a whole (a `json` block with a comment line), but not again
 *    inside blocks already returned.
 * Within each group, in order of appearance.
 */
export function* jsonCandidatesByPreference(text: string): Generator<JsonCandidate, void, undefined> {
  const blocks = locateCodeBlocks(text);
  const parsed: boolean[] = blocks.map(() => false);
  for (const jsonTagged of [true, false]) {
    for (const [index, block] of blocks.entries()) {
      if (isJsonTagged(block) !== jsonTagged) continue;
      const candidate = blockCandidate(block);
      if (candidate === undefined) continue;
      parsed[index] = true;
      yield candidate;
    }
  }
  yield* textCandidates(
    text,
    blocks.filter((_, index) => parsed[index]).map((block) => block.span),
  );
}

/** Every JSON value of `text` in order of appearance: fenced blocks that parse whole, and JSON in the rest. */
export function jsonCandidatesInOrder(text: string): JsonCandidate[] {
  const blockCandidates: JsonCandidate[] = [];
  for (const block of locateCodeBlocks(text)) {
    const candidate = blockCandidate(block);
    if (candidate !== undefined) blockCandidates.push(candidate);
  }
  const inText = [...textCandidates(text, blockCandidates.map((candidate) => candidate.span))];
  // Both lists are in order and never overlap: merge them.
  const merged: JsonCandidate[] = [];
  let fromBlocks = 0;
  let fromText = 0;
  while (fromBlocks < blockCandidates.length || fromText < inText.length) {
    const block = blockCandidates[fromBlocks];
    const other = inText[fromText];
    if (other === undefined || (block !== undefined && block.span.start < other.span.start)) {
      if (block !== undefined) merged.push(block);
      fromBlocks += 1;
    } else {
      merged.push(other);
      fromText += 1;
    }
  }
  return merged;
}

function isJsonTagged(block: LocatedCodeBlock): boolean {
  return block.language.toLowerCase() === 'json';
}

function blockCandidate(block: LocatedCodeBlock): JsonCandidate | undefined {
  const content = block.code.trim();
  if (content === '') return undefined;
  const jsonTagged = isJsonTagged(block);
  // Untagged blocks count only as objects or arrays; checking the first character first spares
  // a parse of every shell script and Python block.
  if (!jsonTagged && !content.startsWith('{') && !content.startsWith('[')) return undefined;
  try {
    return { value: JSON.parse(content) as unknown, source: jsonTagged ? 'json-fence' : 'fence', span: block.span };
  } catch {
    return undefined;
  }
}

/**
 * JSON spans of the text outside `exclude` (ordered, disjoint spans). A valid JSON span cannot
 * contain a fence line (a line starting with ``` or ~~~ is never valid JSON between tokens, and
 * a JSON string cannot hold a line break), so each span lies wholly inside or outside a block.
 */
function* textCandidates(text: string, exclude: readonly TextSpan[]): Generator<JsonCandidate, void, undefined> {
  let next = 0;
  for (const span of findJsonSpans(text)) {
    while (next < exclude.length && (exclude[next]?.end ?? 0) <= span.start) next += 1;
    const block = exclude[next];
    if (block !== undefined && block.start <= span.start && span.end <= block.end) continue;
    let value: unknown;
    try {
      value = JSON.parse(text.slice(span.start, span.end));
    } catch {
      // The scanner accepts exactly JSON.parse's grammar, so this is a safety net only.
      continue;
    }
    yield { value, source: 'text', span };
  }
}
