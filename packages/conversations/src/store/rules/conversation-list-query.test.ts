import { describe, expect, it } from 'vitest';
import { ConversationStoreError } from '../conversation-errors.js';
import type { ConversationHeader } from '../conversation-record.js';
import { decodeListCursor, encodeListCursor, metadataMatches, pageConversations } from './conversation-list-query.js';

function header(id: string, updatedAt: string, metadata: Record<string, unknown> = {}): ConversationHeader {
  return { schemaVersion: '1.0', id, version: 1, activeNodeId: 'r', rootNodeId: 'r', metadata, createdAt: updatedAt, updatedAt };
}

const base = { metadata: {}, updatedAfterMs: undefined, updatedBeforeMs: undefined, cursor: undefined };

describe('conversation list query', () => {
  it('round-trips a cursor and refuses anything else as invalid', () => {
    const cursor = encodeListCursor(header('a/b', '2024-01-01T00:00:00.000Z'));
    expect(decodeListCursor(cursor)).toEqual({ updatedAtMs: Date.UTC(2024, 0, 1), id: 'a/b' });
    for (const bad of ['', 'not a cursor', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[1.5,"x"]').toString('base64url'), Buffer.from('[1,""]').toString('base64url')]) {
      expect(() => decodeListCursor(bad)).toThrow(ConversationStoreError);
    }
  });

  it('matches metadata by strict equality on top-level keys', () => {
    expect(metadataMatches({ a: 1, b: 'x', c: true }, { a: 1, c: true })).toBe(true);
    expect(metadataMatches({ a: 1 }, { a: '1' })).toBe(false);
    expect(metadataMatches({ a: { nested: 1 } }, {})).toBe(true);
    expect(metadataMatches({}, { missing: false })).toBe(false);
  });

  it('pages newest first with ties broken by id, and resumes after the cursor', () => {
    const headers = [
      header('b', '2024-01-01T00:00:02.000Z'),
      header('a', '2024-01-01T00:00:02.000Z'),
      header('c', '2024-01-01T00:00:01.000Z'),
      header('z', '2024-01-01T00:00:03.000Z'),
    ];
    const first = pageConversations(headers, { ...base, limit: 2 });
    expect(first.items.map((item) => item.id)).toEqual(['z', 'b']);
    const second = pageConversations(headers, { ...base, limit: 2, cursor: first.nextCursor });
    expect(second.items.map((item) => item.id)).toEqual(['a', 'c']);
    expect(second.nextCursor).toBeUndefined();
    expect(pageConversations(headers, { ...base, limit: 4 }).nextCursor).toBeUndefined();
    const window = pageConversations(headers, { ...base, limit: 10, updatedAfterMs: Date.parse('2024-01-01T00:00:01.000Z'), updatedBeforeMs: Date.parse('2024-01-01T00:00:03.000Z') });
    expect(window.items.map((item) => item.id)).toEqual(['b', 'a']);
  });
});
