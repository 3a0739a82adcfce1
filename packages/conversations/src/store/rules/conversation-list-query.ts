import { z } from 'zod';
import { ConversationStoreError } from '../conversation-errors.js';
import type { ConversationHeader } from '../conversation-record.js';
import type { ConversationPage } from '../conversation-store.js';
import type { ParsedListOptions } from './conversation-store-input.js';
import { lazySchema } from '../../lazy-schema.js';

/** Where the previous page stopped: the last item's update time and id (a keyset, not an offset). */
interface ListPosition {
  updatedAtMs: number;
  id: string;
}

const positionSchema = lazySchema(() => z.tuple([z.number().int(), z.string().min(1)]));

/** Opaque to callers: base64url of `[updatedAtMs, id]`. */
export function encodeListCursor(header: ConversationHeader): string {
  return Buffer.from(JSON.stringify([Date.parse(header.updatedAt), header.id])).toString('base64url');
}

export function decodeListCursor(cursor: string): ListPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const result = positionSchema().safeParse(decoded);
  if (!result.success) throw new ConversationStoreError('invalid', 'invalid list cursor: pass the nextCursor of a previous page unchanged');
  return { updatedAtMs: result.data[0], id: result.data[1] };
}

/** Top-level metadata equality; types count (`1` is not `"1"`). */
export function metadataMatches(metadata: Readonly<Record<string, unknown>>, filter: Readonly<Record<string, string | number | boolean>>): boolean {
  for (const [key, value] of Object.entries(filter)) if (metadata[key] !== value) return false;
  return true;
}

/** Most recently updated first; ties by id, descending (by UTF-16 code units). */
export function compareNewestFirst(a: ConversationHeader, b: ConversationHeader): number {
  const byTime = Date.parse(b.updatedAt) - Date.parse(a.updatedAt);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function isAfterPosition(header: ConversationHeader, position: ListPosition): boolean {
  const updatedAtMs = Date.parse(header.updatedAt);
  return updatedAtMs < position.updatedAtMs || (updatedAtMs === position.updatedAtMs && header.id < position.id);
}

/**
 * One page of `headers` (any order) under `options`: filtered, sorted newest first, cut after the
 * cursor's position. O(n log n) in the number of headers; the memory and file stores use it.
 */
export function pageConversations(headers: Iterable<ConversationHeader>, options: ParsedListOptions): ConversationPage {
  const position = options.cursor === undefined ? undefined : decodeListCursor(options.cursor);
  const matching: ConversationHeader[] = [];
  for (const header of headers) {
    const updatedAtMs = Date.parse(header.updatedAt);
    if (options.updatedAfterMs !== undefined && !(updatedAtMs > options.updatedAfterMs)) continue;
    if (options.updatedBeforeMs !== undefined && !(updatedAtMs < options.updatedBeforeMs)) continue;
    if (!metadataMatches(header.metadata, options.metadata)) continue;
    if (position !== undefined && !isAfterPosition(header, position)) continue;
    matching.push(header);
  }
  matching.sort(compareNewestFirst);
  const items = matching.slice(0, options.limit);
  const last = items.at(-1);
  return matching.length > options.limit && last !== undefined ? { items, nextCursor: encodeListCursor(last) } : { items };
}
