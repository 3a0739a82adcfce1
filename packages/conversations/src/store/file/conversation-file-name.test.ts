import { describe, expect, it } from 'vitest';
import { CONVERSATION_FILE, conversationFileBase } from './conversation-file-name.js';

describe('conversationFileBase', () => {
  it('keeps UUIDs and lower-case ids readable', () => {
    expect(conversationFileBase('3f2b8c1e-7a4d-4e2f-9b1a-0c5d6e7f8a9b')).toBe('3f2b8c1e-7a4d-4e2f-9b1a-0c5d6e7f8a9b');
    expect(conversationFileBase('chat_42')).toBe('chat_42');
  });

  it('escapes every other byte, so no id becomes a path, a suffix, or a case twin', () => {
    expect(conversationFileBase('../x')).toBe('~2E~2E~2Fx');
    expect(conversationFileBase('A')).toBe('~41');
    expect(conversationFileBase('a.jsonl')).toBe('a~2Ejsonl');
    expect(conversationFileBase('~')).toBe('~7E');
    expect(conversationFileBase('é')).toBe('~C3~A9');
  });

  it('is injective over tricky ids, and every name is a plain conversation file name', () => {
    const ids = ['a', 'A', '~41', '~', '~7E', '.', '..', '/', '\\', 'a b', 'a~20b', 'é', 'e\u0301', 'CON', 'con', 'x'.repeat(40), 'X'.repeat(40), 'x'.repeat(200), `${'x'.repeat(199)}y`];
    const bases = ids.map(conversationFileBase);
    expect(new Set(bases).size).toBe(ids.length);
    expect(new Set(bases.map((base) => base.toLowerCase())).size).toBe(ids.length);
    for (const base of bases) {
      expect(CONVERSATION_FILE.test(`${base}.jsonl`), base).toBe(true);
      expect(base).not.toContain('.');
      expect(base.length).toBeLessThanOrEqual(120);
    }
  });

  it('hashes ids whose encoding would be too long', () => {
    expect(conversationFileBase('X'.repeat(40))).toBe('~58'.repeat(40));
    expect(conversationFileBase('X'.repeat(41))).toMatch(/^~~[0-9a-f]{64}$/);
    expect(conversationFileBase('x'.repeat(120))).toBe('x'.repeat(120));
    expect(conversationFileBase('x'.repeat(121))).toMatch(/^~~[0-9a-f]{64}$/);
  });
});
