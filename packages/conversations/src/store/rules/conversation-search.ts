import { messageText } from '@kit/llm';
import type { ConversationNode } from '../conversation-record.js';
import type { SearchHit } from '../conversation-store.js';

/** Characters of context kept on each side of a match. */
const SNIPPET_CONTEXT = 60;

/**
 * Lower-cases `text` and maps each lowered position back to the original, for the rare characters
 * whose lower case is longer (`İ`), so a snippet is cut around the right place.
 */
function lowerWithMap(text: string): { lowered: string; originalIndex: (index: number) => number } {
  const lowered = text.toLowerCase();
  if (lowered.length === text.length) return { lowered, originalIndex: (index) => index };
  let built = '';
  const map: number[] = [];
  for (let index = 0; index < text.length; ) {
    const codePoint = text.codePointAt(index)!;
    const char = String.fromCodePoint(codePoint);
    const lower = char.toLowerCase();
    for (let i = 0; i < lower.length; i++) map.push(index);
    built += lower;
    index += char.length;
  }
  map.push(text.length);
  return { lowered: built, originalIndex: (index) => map[index] ?? text.length };
}

/** Never cut a surrogate pair in half at a snippet's edge. */
function isLowSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff;
}

/** The excerpt around `[start, end)`: the match and up to 60 characters on each side, `…` where cut. */
export function snippetAround(text: string, start: number, end: number): string {
  let from = Math.max(0, start - SNIPPET_CONTEXT);
  let to = Math.min(text.length, end + SNIPPET_CONTEXT);
  if (from > 0 && isLowSurrogate(text, from)) from--;
  if (to < text.length && isLowSurrogate(text, to)) to++;
  return `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
}

/**
 * A hit when the node's message text (string content, or a user message's text parts) contains
 * `queryLower`, the query already lower-cased; the query is literal text, never a pattern.
 */
export function searchNode(conversationId: string, node: ConversationNode, queryLower: string): SearchHit | undefined {
  const text = messageText(node.message);
  const { lowered, originalIndex } = lowerWithMap(text);
  const at = lowered.indexOf(queryLower);
  if (at < 0) return undefined;
  return { conversationId, nodeId: node.id, snippet: snippetAround(text, originalIndex(at), originalIndex(at + queryLower.length)) };
}

/** A hit with what it is sorted by. */
export interface RankedHit {
  hit: SearchHit;
  createdAtMs: number;
  seq: number;
}

/** Newest first by node `createdAt`; ties by conversation id, then by seq descending. */
export function compareHits(a: RankedHit, b: RankedHit): number {
  if (a.createdAtMs !== b.createdAtMs) return a.createdAtMs < b.createdAtMs ? 1 : -1;
  if (a.hit.conversationId !== b.hit.conversationId) return a.hit.conversationId < b.hit.conversationId ? -1 : 1;
  return b.seq - a.seq;
}

/** Keeps the best `limit` hits as they stream in, without holding every hit. */
export class SearchHitCollector {
  readonly #limit: number;
  readonly #hits: RankedHit[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  add(hit: RankedHit): void {
    this.#hits.push(hit);
    // Trim now and then rather than on every hit: amortized O(n log limit).
    if (this.#hits.length >= this.#limit * 4 + 64) this.#trim();
  }

  result(): SearchHit[] {
    this.#trim();
    return this.#hits.map((ranked) => ranked.hit);
  }

  #trim(): void {
    this.#hits.sort(compareHits);
    this.#hits.length = Math.min(this.#hits.length, this.#limit);
  }
}

/** Node `createdAt` as a sortable number; an unparseable time sorts as oldest. */
export function createdAtMs(node: ConversationNode): number {
  const ms = Date.parse(node.createdAt);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}
