import { describe, expect, it } from 'vitest';
import { testNode } from '../test-support/conversation-node-fixtures.js';
import { SearchHitCollector, searchNode, snippetAround } from './conversation-search.js';

describe('conversation search', () => {
  it('cuts a snippet of 60 characters each side, marking the cuts', () => {
    const text = `${'a'.repeat(100)}MATCH${'b'.repeat(100)}`;
    expect(snippetAround(text, 100, 105)).toBe(`…${'a'.repeat(60)}MATCH${'b'.repeat(60)}…`);
    expect(snippetAround('short MATCH here', 6, 11)).toBe('short MATCH here');
  });

  it('never splits a surrogate pair at a snippet edge', () => {
    const text = `${'🦜'.repeat(40)}x${'🦜'.repeat(40)}`;
    const snippet = snippetAround(text, 80, 81);
    expect(snippet.startsWith('…🦜')).toBe(true);
    expect(snippet.endsWith('🦜…')).toBe(true);
    expect(snippet.slice(1, -1)).toBe(`${'🦜'.repeat(30)}x${'🦜'.repeat(30)}`);
  });

  it('matches case-insensitively as literal text, in string content and text parts', () => {
    const node = testNode({ id: 'n', parentId: 'r', seq: 1, text: 'Price: 100% of $5.00 (a.b*c)' });
    expect(searchNode('c', node, '100% of $5')?.snippet).toBe('Price: 100% of $5.00 (a.b*c)');
    expect(searchNode('c', node, 'a.b*c')).toBeDefined();
    expect(searchNode('c', node, 'a.bxc')).toBeUndefined();
    expect(searchNode('c', node, 'price')).toEqual({ conversationId: 'c', nodeId: 'n', snippet: 'Price: 100% of $5.00 (a.b*c)' });
    const parts = testNode({ id: 'p', parentId: 'r', seq: 2, message: { role: 'user', content: [{ type: 'image', url: 'https://x/y.png' }, { type: 'text', text: 'see THIS' }] } });
    expect(searchNode('c', parts, 'this')?.snippet).toBe('see THIS');
    expect(searchNode('c', parts, 'png')).toBeUndefined();
  });

  it('finds the right place when lower-casing changes the length of the text', () => {
    // 'İ' lower-cases to two code units, which would shift every later position.
    const text = `${'İ'.repeat(100)} needle ${'z'.repeat(100)}`;
    const hit = searchNode('c', testNode({ id: 'n', parentId: 'r', seq: 1, text }), 'needle');
    expect(hit?.snippet).toContain('needle');
    expect(hit?.snippet.startsWith('…')).toBe(true);
  });

  it('keeps the best hits by time, conversation and seq, however many come in', () => {
    const collector = new SearchHitCollector(3);
    for (let i = 0; i < 500; i++) collector.add({ hit: { conversationId: `c${i % 7}`, nodeId: `n${i}`, snippet: '' }, createdAtMs: i % 50, seq: i });
    collector.add({ hit: { conversationId: 'old', nodeId: 'bad-time', snippet: '' }, createdAtMs: Number.NEGATIVE_INFINITY, seq: 0 });
    const ids = collector.result().map((hit) => `${hit.conversationId}/${hit.nodeId}`);
    // createdAtMs 49: i = 49, 99, ..., 499, in conversations c0 (49, 399), c1 (99, 449)...; ties go to the smaller conversation id, then the higher seq.
    expect(ids).toEqual(['c0/n399', 'c0/n49', 'c1/n449']);
  });
});
