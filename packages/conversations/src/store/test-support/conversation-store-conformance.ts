import { randomUUID } from 'node:crypto';
import type { Message } from '@kit/llm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationConflictError, ConversationStoreError, type ConversationStoreErrorReason } from '../conversation-errors.js';
import { CONVERSATION_SCHEMA_VERSION, type ConversationHeader, type ConversationNode } from '../conversation-record.js';
import type { ConversationStore } from '../conversation-store.js';
import { testBranchingNodes, testNode, testTime } from './conversation-node-fixtures.js';

/** What the conformance suite needs from a backend: a store to test, and a way to tear it down. */
export type ConversationStoreFactory = () => Promise<{ store: ConversationStore; cleanup(): Promise<void> }>;

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

async function expectStoreError(promise: Promise<unknown>, reason: ConversationStoreErrorReason): Promise<ConversationStoreError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected a "${reason}" ConversationStoreError, but the call succeeded`).toBeDefined();
  expect(error).toBeInstanceOf(ConversationStoreError);
  expect((error as ConversationStoreError).reason, String(error)).toBe(reason);
  return error as ConversationStoreError;
}

function ids(items: readonly { id: string }[]): string[] {
  return items.map((item) => item.id);
}

/**
 * The behaviour every `ConversationStore` backend must have, as one vitest suite. Call it from a
 * backend's test file with a factory that makes a fresh store; `cleanup` must also work on a store
 * the test already closed. The suite does not need an empty store: every test uses fresh ids and a
 * per-test metadata tag, so a shared database is fine.
 *
 * The rules it pins down, beyond the interface's own documentation:
 * - `create` normalizes nothing it does not have to: `createdAt` (an ISO 8601 date-time) is kept,
 *   and a new conversation's `updatedAt` equals its `createdAt`. Timestamps come back in the
 *   canonical `YYYY-MM-DDTHH:mm:ss.sssZ` form. Every write sets `updatedAt` to the time of the write.
 * - Node ids are unique within a conversation, not across conversations. Appended nodes must have a
 *   parent that is stored or earlier in the batch, a `seq` above every stored one and increasing
 *   within the batch, no `parentId: null`, and an `activeNodeId` (if given) that is stored or
 *   appended; anything else is `invalid` and writes nothing. Versions are checked before node references.
 * - `list` orders by `updatedAt` descending, then id; `updatedAfter` / `updatedBefore` are strict;
 *   the cursor is keyset-based, so writes between pages neither repeat nor skip older items.
 * - `search` matches the query as literal text (no `%`, `_` or pattern meaning), case-insensitively
 *   for ASCII, in the text of a message (string content, or the text parts of a user message);
 *   hits are newest first by node `createdAt`; a snippet holds the match and at most ~200 characters.
 * - Every write increases the version by exactly one. A closed store refuses every call with `closed`.
 */
export function describeConversationStoreConformance(name: string, factory: ConversationStoreFactory): void {
  describe(`ConversationStore conformance: ${name}`, () => {
    let store: ConversationStore;
    let cleanup: () => Promise<void>;
    /** Unique per test: filters list and search down to this test's conversations. */
    let tag: string;

    beforeEach(async () => {
      ({ store, cleanup } = await factory());
      tag = randomUUID();
    });

    afterEach(async () => {
      await cleanup();
    });

    function freshId(label = 'conv'): string {
      return `${label}-${randomUUID()}`;
    }

    async function createSimple(id = freshId(), extra: { metadata?: Record<string, unknown>; createdAt?: string } = {}): Promise<ConversationHeader> {
      return store.create({ id, root: testNode({ id: 'root', parentId: null, seq: 0 }), metadata: { suite: tag, ...extra.metadata }, createdAt: extra.createdAt });
    }

    describe('create', () => {
      it('stores a conversation at version 1 with its root active', async () => {
        const id = freshId();
        const root = testNode({ id: 'root', parentId: null, seq: 0, text: 'You are terse.' });
        const createdAt = testTime(42);
        const header = await store.create({ id, root, metadata: { suite: tag, user: 'ann', n: 3, nested: { a: [1, 2] } }, createdAt });
        expect(header).toEqual({
          schemaVersion: CONVERSATION_SCHEMA_VERSION,
          id,
          version: 1,
          activeNodeId: 'root',
          rootNodeId: 'root',
          metadata: { suite: tag, user: 'ann', n: 3, nested: { a: [1, 2] } },
          createdAt,
          updatedAt: createdAt,
        });
        expect(await store.load(id)).toEqual({ ...header, nodes: [root] });
      });

      it('defaults createdAt to now and metadata to {}', async () => {
        const id = freshId();
        const before = Date.now();
        const header = await store.create({ id, root: testNode({ id: 'r', parentId: null, seq: 0 }) });
        const after = Date.now();
        expect(header.metadata).toEqual({});
        expect(header.createdAt).toMatch(ISO_UTC);
        expect(header.updatedAt).toBe(header.createdAt);
        const created = Date.parse(header.createdAt);
        expect(created).toBeGreaterThanOrEqual(before - 1);
        expect(created).toBeLessThanOrEqual(after + 1);
      });

      it('refuses an id that exists with a conflict (not retryable: the id stays taken), and keeps the first conversation', async () => {
        const id = freshId();
        const first = await createSimple(id);
        const taken = await expectStoreError(store.create({ id, root: testNode({ id: 'other-root', parentId: null, seq: 0 }) }), 'conflict');
        expect(taken.retryable).toBe(false);
        const loaded = await store.load(id);
        expect(loaded?.rootNodeId).toBe('root');
        expect(loaded?.version).toBe(first.version);
        expect(ids(loaded?.nodes ?? [])).toEqual(['root']);
      });

      it('refuses malformed input as invalid and stores nothing', async () => {
        const id = freshId();
        const root = testNode({ id: 'root', parentId: null, seq: 0 });
        await expectStoreError(store.create({ id: '', root }), 'invalid');
        await expectStoreError(store.create({ id: 'x'.repeat(201), root }), 'invalid');
        await expectStoreError(store.create({ id, root: { ...root, parentId: 'someone' } }), 'invalid');
        await expectStoreError(store.create({ id, root: { ...root, message: { role: 'robot', content: 'beep' } as unknown as Message } }), 'invalid');
        await expectStoreError(store.create({ id, root, createdAt: 'yesterday' }), 'invalid');
        await expectStoreError(store.create({ id, root, metadata: ['not', 'a', 'record'] as unknown as Record<string, unknown> }), 'invalid');
        await expectStoreError(store.create(null as unknown as Parameters<ConversationStore['create']>[0]), 'invalid');
        expect(await store.load(id)).toBeNull();
      });

      it('keeps ids apart that are not safe as file names or differ only in case', async () => {
        const suffix = randomUUID();
        const awkward = ['a', 'A', '../a', 'a/b', 'a\\b', 'a b', 'ünï', 'CON', '%2e%2e', 'a~2F', 'a.jsonl', 'a.lock'].map((id) => `${id}${suffix}`);
        // Exactly as given, so a file store must not treat them as paths; deleted first for shared stores.
        const bare = ['.', '..', 'x'.repeat(200)];
        for (const id of bare) await store.delete(id);
        const all = [...awkward, ...bare];
        for (const [index, id] of all.entries()) {
          await store.create({ id, root: testNode({ id: `root-${index}`, parentId: null, seq: 0 }), metadata: { suite: tag } });
        }
        for (const [index, id] of all.entries()) {
          const loaded = await store.load(id);
          expect(loaded?.id, id).toBe(id);
          expect(loaded?.rootNodeId, id).toBe(`root-${index}`);
        }
        const listed = await store.list({ metadata: { suite: tag }, limit: 100 });
        expect(new Set(ids(listed.items))).toEqual(new Set(all));
        for (const id of bare) expect(await store.delete(id)).toBe(true);
      });

      it('lets different conversations use the same node ids', async () => {
        const first = freshId();
        const second = freshId();
        await createSimple(first);
        await createSimple(second);
        await store.appendNodes(first, { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 1, text: 'first' })] });
        await store.appendNodes(second, { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 1, text: 'second' })] });
        expect((await store.load(first))?.nodes[1]?.message.content).toBe('first');
        expect((await store.load(second))?.nodes[1]?.message.content).toBe('second');
      });
    });

    describe('appendNodes', () => {
      it('appends nodes and moves the active pointer in one write', async () => {
        const id = freshId();
        const created = await createSimple(id);
        const a = testNode({ id: 'a', parentId: 'root', seq: 1 });
        const b = testNode({ id: 'b', parentId: 'a', seq: 2, message: { role: 'assistant', content: 'hi' } });
        const before = Date.now();
        const header = await store.appendNodes(id, { expectedVersion: 1, nodes: [a, b], activeNodeId: 'b' });
        expect(header.version).toBe(2);
        expect(header.activeNodeId).toBe('b');
        expect(header.rootNodeId).toBe('root');
        expect(header.createdAt).toBe(created.createdAt);
        expect(header.updatedAt).toMatch(ISO_UTC);
        expect(Date.parse(header.updatedAt)).toBeGreaterThanOrEqual(before - 1);
        const loaded = await store.load(id);
        expect(loaded).toEqual({ ...header, nodes: [testNode({ id: 'root', parentId: null, seq: 0 }), a, b] });
      });

      it('leaves the active node where it was when activeNodeId is absent', async () => {
        const id = freshId();
        await createSimple(id);
        const header = await store.appendNodes(id, { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 1 })] });
        expect(header.activeNodeId).toBe('root');
        expect((await store.load(id))?.activeNodeId).toBe('root');
      });

      it('refuses a stale or future version with a conflict and writes nothing', async () => {
        const id = freshId();
        await createSimple(id);
        await store.appendNodes(id, { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 1 })], activeNodeId: 'a' });
        const stale = await expectStoreError(
          store.appendNodes(id, { expectedVersion: 1, nodes: [testNode({ id: 'b', parentId: 'root', seq: 2 })], activeNodeId: 'b' }),
          'conflict',
        );
        expect(stale).toBeInstanceOf(ConversationConflictError);
        // Another writer got there first: the write can succeed from a fresh load.
        expect(stale.retryable).toBe(true);
        expect((stale as ConversationConflictError).expectedVersion).toBe(1);
        expect((stale as ConversationConflictError).actualVersion).toBe(2);
        await expectStoreError(store.appendNodes(id, { expectedVersion: 7, nodes: [testNode({ id: 'c', parentId: 'root', seq: 2 })] }), 'conflict');
        const loaded = await store.load(id);
        expect(loaded?.version).toBe(2);
        expect(loaded?.activeNodeId).toBe('a');
        expect(ids(loaded?.nodes ?? [])).toEqual(['root', 'a']);
      });

      it('checks the version before the nodes: a stale write with a bad parent is a conflict', async () => {
        const id = freshId();
        await createSimple(id);
        await store.updateMetadata(id, { touched: true }, { expectedVersion: 1 });
        await expectStoreError(store.appendNodes(id, { expectedVersion: 1, nodes: [testNode({ id: 'x', parentId: 'nowhere', seq: 1 })] }), 'conflict');
      });

      it('refuses a node whose parent does not exist, and writes none of the batch', async () => {
        const id = freshId();
        await createSimple(id);
        const good = testNode({ id: 'a', parentId: 'root', seq: 1 });
        const orphan = testNode({ id: 'b', parentId: 'missing', seq: 2 });
        await expectStoreError(store.appendNodes(id, { expectedVersion: 1, nodes: [good, orphan], activeNodeId: 'a' }), 'invalid');
        const loaded = await store.load(id);
        expect(loaded?.version).toBe(1);
        expect(loaded?.activeNodeId).toBe('root');
        expect(ids(loaded?.nodes ?? [])).toEqual(['root']);
      });

      it('accepts parents that come earlier in the same batch, and refuses ones that come later', async () => {
        const id = freshId();
        await createSimple(id);
        const later = [testNode({ id: 'child', parentId: 'parent', seq: 1 }), testNode({ id: 'parent', parentId: 'root', seq: 2 })];
        await expectStoreError(store.appendNodes(id, { expectedVersion: 1, nodes: later }), 'invalid');
        const chain = [testNode({ id: 'p', parentId: 'root', seq: 1 }), testNode({ id: 'q', parentId: 'p', seq: 2 }), testNode({ id: 'r', parentId: 'q', seq: 3 })];
        const header = await store.appendNodes(id, { expectedVersion: 1, nodes: chain, activeNodeId: 'r' });
        expect(header.version).toBe(2);
        expect(ids((await store.load(id))?.nodes ?? [])).toEqual(['root', 'p', 'q', 'r']);
      });

      it('refuses a node id the conversation already has, a duplicate in the batch, and a second root', async () => {
        const id = freshId();
        await createSimple(id);
        await store.appendNodes(id, { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 1 })] });
        await expectStoreError(store.appendNodes(id, { expectedVersion: 2, nodes: [testNode({ id: 'a', parentId: 'root', seq: 2 })] }), 'invalid');
        await expectStoreError(store.appendNodes(id, { expectedVersion: 2, nodes: [testNode({ id: 'root', parentId: 'a', seq: 2 })] }), 'invalid');
        await expectStoreError(
          store.appendNodes(id, { expectedVersion: 2, nodes: [testNode({ id: 'd', parentId: 'root', seq: 2 }), testNode({ id: 'd', parentId: 'root', seq: 3 })] }),
          'invalid',
        );
        await expectStoreError(store.appendNodes(id, { expectedVersion: 2, nodes: [testNode({ id: 'second-root', parentId: null, seq: 2 })] }), 'invalid');
        const loaded = await store.load(id);
        expect(loaded?.version).toBe(2);
        expect(ids(loaded?.nodes ?? [])).toEqual(['root', 'a']);
      });

      it('refuses a seq that does not increase past the stored ones and within the batch', async () => {
        const id = freshId();
        await createSimple(id);
        await store.appendNodes(id, { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 5 })] });
        await expectStoreError(store.appendNodes(id, { expectedVersion: 2, nodes: [testNode({ id: 'b', parentId: 'root', seq: 5 })] }), 'invalid');
        await expectStoreError(store.appendNodes(id, { expectedVersion: 2, nodes: [testNode({ id: 'b', parentId: 'root', seq: 3 })] }), 'invalid');
        await expectStoreError(
          store.appendNodes(id, { expectedVersion: 2, nodes: [testNode({ id: 'b', parentId: 'root', seq: 9 }), testNode({ id: 'c', parentId: 'root', seq: 8 })] }),
          'invalid',
        );
        const header = await store.appendNodes(id, { expectedVersion: 2, nodes: [testNode({ id: 'b', parentId: 'root', seq: 6 }), testNode({ id: 'c', parentId: 'b', seq: 10 })] });
        expect(header.version).toBe(3);
      });

      it('refuses an activeNodeId that is neither stored nor appended', async () => {
        const id = freshId();
        await createSimple(id);
        await expectStoreError(store.appendNodes(id, { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 1 })], activeNodeId: 'ghost' }), 'invalid');
        expect((await store.load(id))?.version).toBe(1);
        const header = await store.appendNodes(id, { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 1 })], activeNodeId: 'root' });
        expect(header.activeNodeId).toBe('root');
      });

      it('refuses an empty batch, malformed nodes and malformed versions as invalid', async () => {
        const id = freshId();
        await createSimple(id);
        const node = testNode({ id: 'a', parentId: 'root', seq: 1 });
        await expectStoreError(store.appendNodes(id, { expectedVersion: 1, nodes: [] }), 'invalid');
        await expectStoreError(store.appendNodes(id, { expectedVersion: 1, nodes: [{ ...node, seq: -1 }] }), 'invalid');
        await expectStoreError(store.appendNodes(id, { expectedVersion: 1, nodes: [{ ...node, id: '' }] }), 'invalid');
        await expectStoreError(store.appendNodes(id, { expectedVersion: 1, nodes: [{ ...node, message: { role: 'user' } as unknown as Message }] }), 'invalid');
        await expectStoreError(store.appendNodes(id, { expectedVersion: 1.5, nodes: [node] }), 'invalid');
        await expectStoreError(store.appendNodes(id, { expectedVersion: -1, nodes: [node] }), 'invalid');
        await expectStoreError(store.appendNodes(id, { nodes: [node] } as unknown as Parameters<ConversationStore['appendNodes']>[1]), 'invalid');
        expect((await store.load(id))?.version).toBe(1);
      });

      it('refuses an unknown conversation as not-found', async () => {
        await expectStoreError(store.appendNodes(freshId(), { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 1 })] }), 'not-found');
      });

      it('of two concurrent appends from the same version, exactly one wins and the other is a conflict', async () => {
        const id = freshId();
        await createSimple(id);
        const results = await Promise.allSettled([
          store.appendNodes(id, { expectedVersion: 1, nodes: [testNode({ id: 'left', parentId: 'root', seq: 1 })], activeNodeId: 'left' }),
          store.appendNodes(id, { expectedVersion: 1, nodes: [testNode({ id: 'right', parentId: 'root', seq: 1 })], activeNodeId: 'right' }),
        ]);
        const won = results.filter((result) => result.status === 'fulfilled');
        const lost = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]?.reason).toBeInstanceOf(ConversationConflictError);
        const loaded = await store.load(id);
        expect(loaded?.version).toBe(2);
        expect(loaded?.nodes).toHaveLength(2);
        expect(loaded?.activeNodeId).toBe(loaded?.nodes[1]?.id);
      });
    });

    describe('setActiveNode', () => {
      it('moves the active pointer and bumps the version', async () => {
        const id = freshId();
        await createSimple(id);
        await store.appendNodes(id, { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 1 }), testNode({ id: 'b', parentId: 'root', seq: 2 })], activeNodeId: 'b' });
        const header = await store.setActiveNode(id, 'a', { expectedVersion: 2 });
        expect(header.version).toBe(3);
        expect(header.activeNodeId).toBe('a');
        const again = await store.setActiveNode(id, 'a', { expectedVersion: 3 });
        expect(again.version).toBe(4);
        const loaded = await store.load(id);
        expect(loaded?.activeNodeId).toBe('a');
        expect(loaded?.version).toBe(4);
        expect(loaded?.nodes).toHaveLength(3);
      });

      it('refuses an unknown node as not-found, a stale version as a conflict, and changes nothing', async () => {
        const id = freshId();
        await createSimple(id);
        await store.appendNodes(id, { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 1 })] });
        await expectStoreError(store.setActiveNode(id, 'ghost', { expectedVersion: 2 }), 'not-found');
        const conflict = await expectStoreError(store.setActiveNode(id, 'a', { expectedVersion: 1 }), 'conflict');
        expect(conflict).toBeInstanceOf(ConversationConflictError);
        await expectStoreError(store.setActiveNode(id, '', { expectedVersion: 2 }), 'invalid');
        const loaded = await store.load(id);
        expect(loaded?.version).toBe(2);
        expect(loaded?.activeNodeId).toBe('root');
      });

      it('refuses an unknown conversation as not-found', async () => {
        await expectStoreError(store.setActiveNode(freshId(), 'root', { expectedVersion: 1 }), 'not-found');
      });
    });

    describe('updateMetadata', () => {
      it('merges the patch shallowly, removes keys set to null, and bumps the version', async () => {
        const id = freshId();
        await createSimple(id, { metadata: { title: 'Draft', keep: 1, nested: { a: 1, b: 2 }, gone: 'soon' } });
        const header = await store.updateMetadata(id, { title: 'Final', nested: { a: 9 }, gone: null, added: [1, { x: 'y' }] }, { expectedVersion: 1 });
        const expected = { suite: tag, title: 'Final', keep: 1, nested: { a: 9 }, added: [1, { x: 'y' }] };
        expect(header.version).toBe(2);
        expect(header.metadata).toEqual(expected);
        expect(Object.keys(header.metadata)).not.toContain('gone');
        expect((await store.load(id))?.metadata).toEqual(expected);
      });

      it('refuses a stale version, an unknown conversation and a patch that is not a record', async () => {
        const id = freshId();
        await createSimple(id, { metadata: { title: 'Draft' } });
        await store.updateMetadata(id, { title: 'One' }, { expectedVersion: 1 });
        await expectStoreError(store.updateMetadata(id, { title: 'Two' }, { expectedVersion: 1 }), 'conflict');
        await expectStoreError(store.updateMetadata(freshId(), { title: 'Two' }, { expectedVersion: 1 }), 'not-found');
        await expectStoreError(store.updateMetadata(id, ['title'] as unknown as Record<string, unknown>, { expectedVersion: 2 }), 'invalid');
        const loaded = await store.load(id);
        expect(loaded?.version).toBe(2);
        expect(loaded?.metadata['title']).toBe('One');
      });
    });

    describe('load', () => {
      it('returns null for a conversation that does not exist', async () => {
        expect(await store.load(freshId())).toBeNull();
      });

      it('returns every node in seq order, exactly as written', async () => {
        const id = freshId();
        const root = testNode({ id: 'z-root', parentId: null, seq: 0, text: 'System: {{ not a template }} {% raw %} (( nor this ))' });
        await store.create({ id, root, metadata: { suite: tag } });
        // Ids sort differently from seq, so a store that orders by id fails here.
        const nodes: ConversationNode[] = [
          testNode({
            id: 'y',
            parentId: 'z-root',
            seq: 1,
            promptName: 'greeting',
            message: {
              role: 'user',
              content: [
                { type: 'text', text: 'Look at <|endoftext|> this\nand\u2028that 🦜 "quoted" \\ back' },
                { type: 'image', url: 'https://example.com/cat.png', detail: 'low' },
                { type: 'image', data: 'aGVsbG8=', mediaType: 'image/png' },
              ],
              name: 'ann',
            },
          }),
          testNode({
            id: 'x',
            parentId: 'y',
            seq: 2,
            branchName: 'main',
            message: {
              role: 'assistant',
              content: 'Calling a tool.',
              toolCalls: [{ id: 'call-1', name: 'lookup', arguments: { q: 'cats', deep: { n: 1, list: [true, null] } } }],
              reasoning: [{ type: 'reasoning', text: 'think', signature: 'sig' }, { type: 'reasoning', text: '', redactedData: 'xyz' }],
            },
            metadata: {
              usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15, cachedInputTokens: 2 },
              costUsd: 0.00123,
              provider: 'openai',
              model: 'gpt-4o-mini',
              rag: [{ adapter: 'docs', query: 'cats', itemIds: ['d1', 'd2'] }],
              latencyMs: 812.5,
              custom: { anything: ['goes', 1] },
            },
          }),
          testNode({ id: 'w', parentId: 'x', seq: 3, message: { role: 'tool', toolCallId: 'call-1', toolName: 'lookup', content: '{"cats":3}', isError: false } }),
          testNode({ id: 'v', parentId: 'w', seq: 4, partial: true, message: { role: 'assistant', content: 'Three ca' } }),
          testNode({ id: 'u', parentId: 'y', seq: 7, branchName: 'retry', message: { role: 'assistant', content: '' } }),
        ];
        await store.appendNodes(id, { expectedVersion: 1, nodes: nodes.slice(0, 2) });
        await store.appendNodes(id, { expectedVersion: 2, nodes: nodes.slice(2, 4), activeNodeId: 'v' });
        await store.appendNodes(id, { expectedVersion: 3, nodes: nodes.slice(4) });
        const loaded = await store.load(id);
        expect(loaded?.nodes).toEqual([root, ...nodes]);
        expect(loaded?.activeNodeId).toBe('v');
      });

      it('counts one version per write, whatever the write', async () => {
        const id = freshId();
        const versions = [(await createSimple(id)).version];
        versions.push((await store.appendNodes(id, { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 1 })] })).version);
        versions.push((await store.setActiveNode(id, 'a', { expectedVersion: 2 })).version);
        versions.push((await store.updateMetadata(id, { k: 'v' }, { expectedVersion: 3 })).version);
        versions.push((await store.appendNodes(id, { expectedVersion: 4, nodes: [testNode({ id: 'b', parentId: 'a', seq: 2 })], activeNodeId: 'b' })).version);
        expect(versions).toEqual([1, 2, 3, 4, 5]);
        expect((await store.load(id))?.version).toBe(5);
      });
    });

    describe('list', () => {
      it('filters on top-level metadata equality, with types kept apart', async () => {
        const ann = await createSimple(freshId('ann'), { metadata: { user: 'ann', n: 1, vip: true } });
        const bob = await createSimple(freshId('bob'), { metadata: { user: 'bob', n: 2, vip: false } });
        const ann2 = await createSimple(freshId('ann2'), { metadata: { user: 'ann', n: 2, vip: false } });
        await createSimple(freshId('none'), { metadata: { other: 'x' } });
        const byUser = await store.list({ metadata: { suite: tag, user: 'ann' } });
        expect(new Set(ids(byUser.items))).toEqual(new Set([ann.id, ann2.id]));
        expect(ids((await store.list({ metadata: { suite: tag, n: 2 } })).items).sort()).toEqual([bob.id, ann2.id].sort());
        expect(ids((await store.list({ metadata: { suite: tag, vip: true } })).items)).toEqual([ann.id]);
        expect(ids((await store.list({ metadata: { suite: tag, vip: false, user: 'bob' } })).items)).toEqual([bob.id]);
        expect((await store.list({ metadata: { suite: tag, n: '1' } })).items).toEqual([]);
        expect((await store.list({ metadata: { suite: tag, vip: 'true' } })).items).toEqual([]);
        expect((await store.list({ metadata: { suite: tag } })).items).toHaveLength(4);
      });

      it('orders by update time, newest first, and filters by it strictly', async () => {
        const created: ConversationHeader[] = [];
        for (let i = 0; i < 5; i++) created.push(await createSimple(freshId(`t${i}`), { createdAt: testTime(i * 60) }));
        const newestFirst = [...created].reverse().map((header) => header.id);
        const page = await store.list({ metadata: { suite: tag } });
        expect(ids(page.items)).toEqual(newestFirst);
        expect(page.nextCursor).toBeUndefined();
        expect(page.items[0]).toEqual(created[4]);
        expect(ids((await store.list({ metadata: { suite: tag }, updatedAfter: testTime(60) })).items)).toEqual(newestFirst.slice(0, 3));
        expect(ids((await store.list({ metadata: { suite: tag }, updatedBefore: testTime(180) })).items)).toEqual(newestFirst.slice(2));
        expect(ids((await store.list({ metadata: { suite: tag }, updatedAfter: testTime(0), updatedBefore: testTime(240) })).items)).toEqual(newestFirst.slice(1, 4));
        // A write makes the oldest the most recently updated.
        await store.updateMetadata(created[0]!.id, { touched: true }, { expectedVersion: 1 });
        expect(ids((await store.list({ metadata: { suite: tag } })).items)[0]).toBe(created[0]!.id);
      });

      it('pages with a keyset cursor: every item once, in order, even when writes land between pages', async () => {
        const created: string[] = [];
        for (let i = 0; i < 7; i++) created.push((await createSimple(freshId(`p${i}`), { createdAt: testTime(1000 + i) })).id);
        const expected = [...created].reverse();
        const first = await store.list({ metadata: { suite: tag }, limit: 3 });
        expect(ids(first.items)).toEqual(expected.slice(0, 3));
        expect(first.nextCursor).toEqual(expect.any(String));
        // A newer conversation and an update to an item already seen: neither shifts the next pages.
        await createSimple(freshId('late'));
        await store.updateMetadata(expected[0]!, { touched: true }, { expectedVersion: 1 });
        const second = await store.list({ metadata: { suite: tag }, limit: 3, cursor: first.nextCursor });
        expect(ids(second.items)).toEqual(expected.slice(3, 6));
        const third = await store.list({ metadata: { suite: tag }, limit: 3, cursor: second.nextCursor });
        expect(ids(third.items)).toEqual(expected.slice(6));
        expect(third.nextCursor).toBeUndefined();
      });

      it('pages through conversations updated at the same instant without repeats or gaps', async () => {
        const created = new Set<string>();
        for (let i = 0; i < 5; i++) created.add((await createSimple(freshId(`tie${i}`), { createdAt: testTime(5000) })).id);
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.list({ metadata: { suite: tag }, limit: 2, cursor });
          seen.push(...ids(page.items));
          cursor = page.nextCursor;
          pages++;
        } while (cursor !== undefined && pages < 10);
        expect(pages).toBe(3);
        expect(seen).toHaveLength(5);
        expect(new Set(seen)).toEqual(created);
      });

      it('returns 50 items by default and refuses a bad limit, cursor or time', async () => {
        for (let i = 0; i < 51; i++) await createSimple(freshId(`d${i}`), { createdAt: testTime(10_000 + i) });
        const page = await store.list({ metadata: { suite: tag } });
        expect(page.items).toHaveLength(50);
        expect((await store.list()).items).toHaveLength(50);
        expect(page.nextCursor).toEqual(expect.any(String));
        const rest = await store.list({ metadata: { suite: tag }, cursor: page.nextCursor });
        expect(rest.items).toHaveLength(1);
        expect(rest.nextCursor).toBeUndefined();
        await expectStoreError(store.list({ limit: 0 }), 'invalid');
        await expectStoreError(store.list({ limit: 1001 }), 'invalid');
        await expectStoreError(store.list({ limit: 2.5 }), 'invalid');
        await expectStoreError(store.list({ cursor: 'not a cursor' }), 'invalid');
        await expectStoreError(store.list({ updatedAfter: 'last tuesday' }), 'invalid');
        await expectStoreError(store.list({ metadata: { nested: { a: 1 } } as unknown as Record<string, string> }), 'invalid');
      });
    });

    describe('search', () => {
      it('finds message text case-insensitively, newest first, with a snippet around the match', async () => {
        const token = `Zq${randomUUID().replaceAll('-', '').slice(0, 12)}`;
        const first = freshId();
        const second = freshId();
        await store.create({ id: first, root: testNode({ id: 'root', parentId: null, seq: 0, text: 'nothing here' }), metadata: { suite: tag } });
        const long = `${'a'.repeat(1000)} the ${token.toUpperCase()} sits here ${'b'.repeat(1000)}`;
        await store.appendNodes(first, {
          expectedVersion: 1,
          nodes: [
            testNode({ id: 'q', parentId: 'root', seq: 1, text: `Tell me about ${token}`, createdAt: testTime(10) }),
            testNode({ id: 'long', parentId: 'q', seq: 2, message: { role: 'assistant', content: long }, createdAt: testTime(20) }),
          ],
        });
        await store.create({ id: second, root: testNode({ id: 'root', parentId: null, seq: 0, text: 'hello' }), metadata: { suite: tag } });
        await store.appendNodes(second, {
          expectedVersion: 1,
          nodes: [
            testNode({
              id: 'parts',
              parentId: 'root',
              seq: 1,
              createdAt: testTime(30),
              message: { role: 'user', content: [{ type: 'image', url: 'https://example.com/x.png' }, { type: 'text', text: `and ${token.toLowerCase()}!` }] },
            }),
          ],
        });
        const hits = await store.search(token.toLowerCase());
        expect(hits.map((hit) => [hit.conversationId, hit.nodeId])).toEqual([
          [second, 'parts'],
          [first, 'long'],
          [first, 'q'],
        ]);
        for (const hit of hits) {
          expect(hit.snippet.toLowerCase()).toContain(token.toLowerCase());
          expect(hit.snippet.length).toBeLessThanOrEqual(token.length + 200);
        }
        expect(hits[1]?.snippet).toContain(token.toUpperCase());
        expect(await store.search(token.toUpperCase(), { limit: 2 })).toEqual(hits.slice(0, 2));
      });

      it('matches the query as literal text: no wildcards, no template or token meaning', async () => {
        const id = freshId();
        const texts = ['it is 100% sure', 'it is 1000 sure', 'snake a_b here', 'snake axb here', 'Hello {{name}}!', 'stop <|endoftext|> here', 'C:\\temp\\x', "it's [a] (b) $c ^d"];
        await store.create({ id, root: testNode({ id: 'root', parentId: null, seq: 0, text: 'root' }), metadata: { suite: tag } });
        await store.appendNodes(id, { expectedVersion: 1, nodes: texts.map((text, index) => testNode({ id: `n${index}`, parentId: 'root', seq: index + 1, text })) });
        const found = async (query: string) => (await store.search(query, { metadata: { suite: tag } })).map((hit) => hit.nodeId).sort();
        expect(await found('0% s')).toEqual(['n0']);
        expect(await found('a_b')).toEqual(['n2']);
        expect(await found('{{name}}')).toEqual(['n4']);
        expect(await found('<|endoftext|>')).toEqual(['n5']);
        expect(await found('\\temp\\')).toEqual(['n6']);
        expect(await found("'s [a] (b) $c ^")).toEqual(['n7']);
        expect(await found('%')).toEqual(['n0']);
        expect(await found('_')).toEqual(['n2']);
      });

      it('filters by conversation metadata, honours the limit, and forgets deleted conversations', async () => {
        const token = `Qx${randomUUID().replaceAll('-', '').slice(0, 12)}`;
        const keep = freshId();
        const other = freshId();
        for (const [id, user] of [
          [keep, 'ann'],
          [other, 'bob'],
        ] as const) {
          await store.create({ id, root: testNode({ id: 'root', parentId: null, seq: 0, text: `root ${token}` }), metadata: { suite: tag, user } });
          await store.appendNodes(id, { expectedVersion: 1, nodes: [1, 2, 3].map((seq) => testNode({ id: `n${seq}`, parentId: 'root', seq, text: `${token} #${seq}` })) });
        }
        expect(await store.search(token)).toHaveLength(8);
        const annOnly = await store.search(token, { metadata: { user: 'ann', suite: tag } });
        expect(annOnly).toHaveLength(4);
        expect(new Set(annOnly.map((hit) => hit.conversationId))).toEqual(new Set([keep]));
        expect(annOnly.map((hit) => hit.nodeId)).toEqual(['n3', 'n2', 'n1', 'root']);
        expect(await store.search(token, { limit: 3 })).toHaveLength(3);
        expect(await store.delete(other)).toBe(true);
        expect(new Set((await store.search(token)).map((hit) => hit.conversationId))).toEqual(new Set([keep]));
      });

      it('refuses an empty query and a bad limit', async () => {
        await expectStoreError(store.search(''), 'invalid');
        await expectStoreError(store.search('x', { limit: 0 }), 'invalid');
        await expectStoreError(store.search('x', { limit: 1001 }), 'invalid');
      });
    });

    describe('delete', () => {
      it('removes a conversation and its nodes; the id can then be created afresh', async () => {
        const id = freshId();
        await createSimple(id);
        await store.appendNodes(id, { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 1 })] });
        expect(await store.delete(id)).toBe(true);
        expect(await store.load(id)).toBeNull();
        expect(await store.delete(id)).toBe(false);
        expect((await store.list({ metadata: { suite: tag } })).items).toEqual([]);
        await expectStoreError(store.appendNodes(id, { expectedVersion: 2, nodes: [testNode({ id: 'b', parentId: 'root', seq: 2 })] }), 'not-found');
        const again = await store.create({ id, root: testNode({ id: 'new-root', parentId: null, seq: 0 }) });
        expect(again.version).toBe(1);
        expect(ids((await store.load(id))?.nodes ?? [])).toEqual(['new-root']);
      });

      it('returns false for a conversation that never existed', async () => {
        expect(await store.delete(freshId())).toBe(false);
      });
    });

    describe('copies', () => {
      it('returns copies and keeps none of the caller’s objects', async () => {
        const id = freshId();
        const metadata = { suite: tag, list: [1, 2] };
        const root = testNode({ id: 'root', parentId: null, seq: 0, text: 'original' });
        const header = await store.create({ id, root, metadata });
        const node = testNode({ id: 'a', parentId: 'root', seq: 1, metadata: { rag: [{ ids: ['x'] }] } });
        const nodes = [node];
        await store.appendNodes(id, { expectedVersion: 1, nodes });
        // Mutate everything the caller passed in or got back.
        metadata.list.push(3);
        (root.message as { content: string }).content = 'changed';
        (node.metadata.rag![0]!['ids'] as string[]).push('y');
        nodes.push(testNode({ id: 'sneaky', parentId: 'root', seq: 2 }));
        header.metadata['suite'] = 'changed';
        const loaded = await store.load(id);
        loaded!.nodes[0]!.message.content = 'changed again';
        loaded!.metadata['list'] = [];
        const listed = await store.list({ metadata: { suite: tag } });
        listed.items[0]!.metadata['list'] = [];
        const fresh = await store.load(id);
        expect(fresh?.metadata).toEqual({ suite: tag, list: [1, 2] });
        expect(fresh?.nodes[0]?.message.content).toBe('original');
        expect(fresh?.nodes[1]?.metadata.rag).toEqual([{ ids: ['x'] }]);
        expect(ids(fresh?.nodes ?? [])).toEqual(['root', 'a']);
      });
    });

    describe('close', () => {
      it('refuses every call once closed, and closing again is harmless', async () => {
        const id = freshId();
        await createSimple(id);
        await store.close();
        const node = testNode({ id: 'a', parentId: 'root', seq: 1 });
        await expectStoreError(store.create({ id: freshId(), root: testNode({ id: 'root', parentId: null, seq: 0 }) }), 'closed');
        await expectStoreError(store.appendNodes(id, { expectedVersion: 1, nodes: [node] }), 'closed');
        await expectStoreError(store.setActiveNode(id, 'root', { expectedVersion: 1 }), 'closed');
        await expectStoreError(store.updateMetadata(id, { a: 1 }, { expectedVersion: 1 }), 'closed');
        await expectStoreError(store.load(id), 'closed');
        await expectStoreError(store.list(), 'closed');
        await expectStoreError(store.search('x'), 'closed');
        await expectStoreError(store.delete(id), 'closed');
        await expect(store.close()).resolves.toBeUndefined();
      });
    });

    describe('a large conversation', () => {
      it('round-trips 2,000 nodes written in 20 appends', async () => {
        const id = freshId();
        const root = testNode({ id: 'root', parentId: null, seq: 0 });
        await store.create({ id, root, metadata: { suite: tag } });
        const nodes = testBranchingNodes('root', 1999);
        let version = 1;
        for (let start = 0; start < nodes.length; start += 100) {
          const batch = nodes.slice(start, start + 100);
          const header = await store.appendNodes(id, { expectedVersion: version, nodes: batch, activeNodeId: batch.at(-1)!.id });
          version = header.version;
        }
        expect(version).toBe(21);
        const loaded = await store.load(id);
        expect(loaded?.nodes).toHaveLength(2000);
        expect(loaded?.nodes).toEqual([root, ...nodes]);
        expect(loaded?.activeNodeId).toBe('n1999');
      }, 60_000);
    });
  });
}
