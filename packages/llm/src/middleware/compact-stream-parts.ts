import type { StreamPart } from '../types/stream-part.js';
import { copyCachedData } from './copy-cached-data.js';

/** Consecutive plain text deltas, kept as one string and the offset where each delta ends in it. */
class TextRun {
  constructor(
    readonly text: string,
    readonly ends: Uint32Array,
  ) {}
}

/** A stream's parts as the memory store keeps them: text runs, and copies of every other part. */
export type CompactStreamParts = ReadonlyArray<TextRun | StreamPart>;

/** A text delta with nothing but its `type` and `text`: the kind a run can hold and rebuild exactly. */
function isPlainTextDelta(part: StreamPart): part is Extract<StreamPart, { type: 'text-delta' }> {
  if (part.type !== 'text-delta' || typeof part.text !== 'string' || Object.getPrototypeOf(part) !== Object.prototype) return false;
  let keys = 0;
  for (const _ in part) keys++;
  return keys === 2;
}

/**
 * A compact copy of a stream's parts: each run of plain text deltas becomes one string and its
 * end offsets, every other part is deep-copied. A 10,000-chunk stream is then a handful of objects
 * instead of 20,000 (parts and their strings), which a long-lived cache otherwise keeps for the
 * garbage collector to copy and mark again and again.
 */
export function compactStreamParts(parts: readonly StreamPart[]): CompactStreamParts {
  const out: Array<TextRun | StreamPart> = [];
  let texts: string[] = [];
  let ends: number[] = [];
  let length = 0;
  const flush = () => {
    if (texts.length === 0) return;
    out.push(new TextRun(texts.join(''), Uint32Array.from(ends)));
    texts = [];
    ends = [];
    length = 0;
  };
  for (const part of parts) {
    if (isPlainTextDelta(part)) {
      texts.push(part.text);
      length += part.text.length;
      ends.push(length);
    } else {
      flush();
      out.push(copyCachedData(part));
    }
  }
  flush();
  return out;
}

/** The parts again, as new objects that share nothing with the compact copy. */
export function expandStreamParts(compact: CompactStreamParts): StreamPart[] {
  const parts: StreamPart[] = [];
  for (const item of compact) {
    if (!(item instanceof TextRun)) {
      parts.push(copyCachedData(item));
      continue;
    }
    let start = 0;
    for (const end of item.ends) {
      parts.push({ type: 'text-delta', text: item.text.slice(start, end) });
      start = end;
    }
  }
  return parts;
}
