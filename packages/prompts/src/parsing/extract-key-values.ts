import { parseListMarker } from './list-marker.js';
import { parseAtxHeading } from './markdown-heading.js';
import { readMarkdownLines } from './markdown-lines.js';
import { assertText } from './parser-arguments.js';

/** A `Key: value` line of a response. */
export interface KeyValue {
  /** The text before the first `:`, emphasis markers and surrounding spaces removed; case kept. */
  readonly key: string;
  /** The rest of the line after that `:`, trimmed; never empty. */
  readonly value: string;
}

const MAX_KEY_LENGTH = 60;
/** Room for the key's emphasis markers (`**Key**`) before its colon. */
const MAX_COLON_OFFSET = MAX_KEY_LENGTH + 4;
/** Letters, digits and the punctuation of labels such as `Re-ranked score (0-1)`; no quotes, so code is not read as keys. */
const KEY = /^[\p{L}\p{N}][\p{L}\p{N} _\-./()'&]*$/u;
/** Emphasis models wrap keys in: `**Key**: value`, `**Key:** value`, `_Key_: value`. */
const EMPHASIS = ['**', '__', '*', '_'] as const;

/**
 * The `Key: value` lines of `text`, in order, duplicates kept. A line may start with a list
 * marker (`- Name: Ada`) and its key may be emphasised (`**Name:** Ada`). The key is the text
 * before the first `:` (so `Time: 10:30` has value `10:30`): letters, digits, spaces and
 * `_ - . / ( ) ' &`, starting with a letter or digit, at most 60 characters. Lines with an empty
 * value, URLs (`https://…`), headings and lines in fenced code blocks are skipped. Linear in the
 * length of `text`.
 *
 * @example
 * extractKeyValues('Result:\n- **Label:** spam\n- Confidence: 0.93');
 * // [{ key: 'Label', value: 'spam' }, { key: 'Confidence', value: '0.93' }]
 */
export function extractKeyValues(text: string): KeyValue[] {
  assertText('text', text);
  const pairs: KeyValue[] = [];
  for (const line of readMarkdownLines(text)) {
    if (line.kind !== 'text' || parseAtxHeading(line.text) !== undefined) continue;
    const pair = parseKeyValue(parseListMarker(line.text)?.content ?? line.text.trim());
    if (pair !== undefined) pairs.push(pair);
  }
  return pairs;
}

function parseKeyValue(line: string): KeyValue | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0 || colon > MAX_COLON_OFFSET) return undefined;
  let key = line.slice(0, colon).trim();
  let value = line.slice(colon + 1);
  if (value.startsWith('//')) return undefined;
  for (const mark of EMPHASIS) {
    if (!key.startsWith(mark)) continue;
    if (key.endsWith(mark) && key.length > 2 * mark.length) key = key.slice(mark.length, -mark.length);
    else if (value.startsWith(mark)) {
      key = key.slice(mark.length);
      value = value.slice(mark.length);
    }
    break;
  }
  key = key.trim();
  value = value.trim();
  if (value === '' || key.length > MAX_KEY_LENGTH || !KEY.test(key)) return undefined;
  return { key, value };
}
