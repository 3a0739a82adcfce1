import type * as Crypto from 'node:crypto';
import { require } from '../../lazy-require.js';

// Loaded with the first long id, not at import (see lazy-require.ts).
let nodeCrypto: typeof Crypto | undefined;

/** Bytes kept as they are: lower-case letters, digits, `-` and `_`, safe on every file system, in any case. */
function isSafeByte(byte: number): boolean {
  return (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte === 0x2d || byte === 0x5f;
}

/** Longer encoded names are replaced by a hash, to stay well under the 255-byte file-name limit. */
const MAX_ENCODED_LENGTH = 120;

/**
 * The base file name for a conversation id: injective, with no `/`, `.`, upper-case letter or
 * non-ASCII byte, so no id can escape the store's folder (`../x`), clash with another id on a
 * case-insensitive file system (`A` vs `a`), or look like a store's own `.jsonl`, `.lock` or `.tmp`
 * suffix. Other bytes of the UTF-8 id become `~XX` (hex, upper case); an id whose encoding is
 * longer than 120 characters becomes `~~` and its SHA-256. UUIDs pass through unchanged.
 */
export function conversationFileBase(conversationId: string): string {
  let encoded = '';
  for (const byte of Buffer.from(conversationId, 'utf8')) {
    encoded += isSafeByte(byte) ? String.fromCharCode(byte) : `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    if (encoded.length > MAX_ENCODED_LENGTH) break;
  }
  if (encoded.length > MAX_ENCODED_LENGTH) {
    nodeCrypto ??= require('node:crypto') as typeof Crypto;
    return `~~${nodeCrypto.createHash('sha256').update(conversationId, 'utf8').digest('hex')}`;
  }
  return encoded;
}

/** Whether a directory entry is a conversation file written by this store. */
export const CONVERSATION_FILE = /^[a-z0-9_~A-F-]+\.jsonl$/;
