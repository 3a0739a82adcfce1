import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationConflictError, ConversationStoreError, type ConversationStoreErrorReason } from '../conversation-errors.js';
import { SchemaMigrations } from '../migrations/schema-migrations.js';
import { testNode } from '../test-support/conversation-node-fixtures.js';
import { SQLITE_CONVERSATION_DDL_VERSION } from './sqlite-conversation-ddl-version.js';
import { SqliteConversationStore } from './sqlite-conversation-store.js';

async function expectReason(promise: Promise<unknown>, reason: ConversationStoreErrorReason): Promise<ConversationStoreError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConversationStoreError);
  expect((error as ConversationStoreError).reason, String(error)).toBe(reason);
  return error as ConversationStoreError;
}

describe('SqliteConversationStore', () => {
  let dir: string;
  let path: string;
  const open: SqliteConversationStore[] = [];

  async function openStore(options?: Parameters<typeof SqliteConversationStore.open>[1]): Promise<SqliteConversationStore> {
    const store = await SqliteConversationStore.open(path, options);
    open.push(store);
    return store;
  }

  /** A second, raw connection to the same file: what another program (or a damaged disk) could do. */
  function raw(): Database.Database {
    return new Database(path);
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kit-sqlite-store-'));
    path = join(dir, 'conversations.db');
  });

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('opening', () => {
    it('creates its tables in WAL mode, records the DDL version, and reopens what it wrote', async () => {
      const store = await openStore();
      await store.create({ id: 'c', root: testNode({ id: 'root', parentId: null, seq: 0 }) });
      await store.close();
      const db = raw();
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare("SELECT version FROM kit_schema WHERE component = 'conversations'").pluck().get()).toBe(SQLITE_CONVERSATION_DDL_VERSION);
      db.close();
      const again = await openStore();
      expect((await again.load('c'))?.nodes.map((node) => node.id)).toEqual(['root']);
    });

    it('refuses a file whose conversation tables are of a newer version, and leaves it unchanged', async () => {
      await (await openStore()).close();
      const db = raw();
      db.prepare("UPDATE kit_schema SET version = ? WHERE component = 'conversations'").run(SQLITE_CONVERSATION_DDL_VERSION + 1);
      db.close();
      const error = await expectReason(SqliteConversationStore.open(path), 'unsupported-schema');
      expect(error.message).toContain(`version ${SQLITE_CONVERSATION_DDL_VERSION + 1}`);
      const check = raw();
      expect(check.prepare("SELECT version FROM kit_schema WHERE component = 'conversations'").pluck().get()).toBe(SQLITE_CONVERSATION_DDL_VERSION + 1);
      check.close();
    });

    it('shares a file with other tables and another store of another component', async () => {
      const db = raw();
      db.exec("CREATE TABLE kit_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL) STRICT; INSERT INTO kit_schema VALUES ('prompts', 7); CREATE TABLE notes (x TEXT)");
      db.close();
      const store = await openStore();
      await store.create({ id: 'c', root: testNode({ id: 'root', parentId: null, seq: 0 }) });
      const check = raw();
      expect(check.prepare('SELECT component, version FROM kit_schema ORDER BY component').all()).toEqual([
        { component: 'conversations', version: SQLITE_CONVERSATION_DDL_VERSION },
        { component: 'prompts', version: 7 },
      ]);
      check.close();
    });
  });

  describe('appends', () => {
    it('write only the new node rows and one header row, never the stored nodes', async () => {
      const store = await openStore();
      await store.create({ id: 'c', root: testNode({ id: 'n0', parentId: null, seq: 0 }) });
      const history = Array.from({ length: 50 }, (_, index) => testNode({ id: `n${index + 1}`, parentId: `n${index}`, seq: index + 1 }));
      await store.appendNodes('c', { expectedVersion: 1, nodes: history });
      // Triggers on a second connection count every row the store's connection touches.
      const db = raw();
      db.exec(`
        CREATE TABLE audit (what TEXT);
        CREATE TRIGGER nodes_insert AFTER INSERT ON conversation_nodes BEGIN INSERT INTO audit VALUES ('node insert'); END;
        CREATE TRIGGER nodes_update AFTER UPDATE ON conversation_nodes BEGIN INSERT INTO audit VALUES ('node update'); END;
        CREATE TRIGGER nodes_delete AFTER DELETE ON conversation_nodes BEGIN INSERT INTO audit VALUES ('node delete'); END;
        CREATE TRIGGER header_update AFTER UPDATE ON conversations BEGIN INSERT INTO audit VALUES ('header update'); END;
      `);
      await store.appendNodes('c', { expectedVersion: 2, nodes: [testNode({ id: 'n51', parentId: 'n50', seq: 51 })], activeNodeId: 'n51' });
      expect(db.prepare('SELECT what FROM audit ORDER BY rowid').pluck().all()).toEqual(['header update', 'node insert']);
      db.close();
    });

    it('of two connections to one file appending from the same version, one wins and the other is a conflict', async () => {
      const first = await openStore();
      const second = await openStore();
      await first.create({ id: 'c', root: testNode({ id: 'root', parentId: null, seq: 0 }) });
      await first.appendNodes('c', { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 1 })], activeNodeId: 'a' });
      const error = await expectReason(second.appendNodes('c', { expectedVersion: 1, nodes: [testNode({ id: 'b', parentId: 'root', seq: 1 })] }), 'conflict');
      expect(error).toBeInstanceOf(ConversationConflictError);
      expect((error as ConversationConflictError).actualVersion).toBe(2);
      expect((await second.load('c'))?.nodes.map((node) => node.id)).toEqual(['root', 'a']);
    });

    it('keep user text as data: template syntax, special tokens and U+0000 round-trip and are searchable', async () => {
      const store = await openStore();
      const texts = ['{{ user }} ((maybe)) {% if x %}', 'stop <|endoftext|> here <|im_start|>', 'nul\u0000inside', 'Straße ÄRGER İstanbul 🦜'];
      await store.create({ id: 'c', root: testNode({ id: 'root', parentId: null, seq: 0 }) });
      const nodes = texts.map((text, index) => testNode({ id: `n${index}`, parentId: 'root', seq: index + 1, text, promptName: '{{name}}' }));
      await store.appendNodes('c', { expectedVersion: 1, nodes });
      expect((await store.load('c'))?.nodes.slice(1)).toEqual(nodes);
      expect((await store.search('<|endoftext|>')).map((hit) => hit.nodeId)).toEqual(['n1']);
      expect((await store.search('{% if')).map((hit) => hit.nodeId)).toEqual(['n0']);
      // Beyond ASCII, case folds as JavaScript folds it, like every other store.
      expect((await store.search('ärger')).map((hit) => hit.nodeId)).toEqual(['n3']);
      expect((await store.search('\u0000inside')).map((hit) => hit.nodeId)).toEqual(['n2']);
    });
  });

  describe('list filters', () => {
    it('match metadata keys holding any character, by JSON type', async () => {
      const store = await openStore();
      const metadata = { 'a.b': 'dot', 'x"y': 'quote', $: 1.5, '[0]': true, ' spaced key ': 'ok' };
      await store.create({ id: 'odd', root: testNode({ id: 'root', parentId: null, seq: 0 }), metadata });
      await store.create({ id: 'plain', root: testNode({ id: 'root', parentId: null, seq: 0 }), metadata: { a: { b: 'dot' }, $: '1.5', '[0]': 1 } });
      const listed = async (filter: Record<string, string | number | boolean>) => (await store.list({ metadata: filter })).items.map((item) => item.id);
      expect(await listed({ 'a.b': 'dot' })).toEqual(['odd']);
      expect(await listed({ 'x"y': 'quote' })).toEqual(['odd']);
      expect(await listed({ $: 1.5 })).toEqual(['odd']);
      expect(await listed({ $: '1.5' })).toEqual(['plain']);
      expect(await listed({ '[0]': true })).toEqual(['odd']);
      expect(await listed({ '[0]': 1 })).toEqual(['plain']);
      expect(await listed({ ' spaced key ': 'ok', 'a.b': 'dot' })).toEqual(['odd']);
      expect(await listed({ "') OR 1=1 --": 'x' })).toEqual([]);
    });
  });

  describe('reading stored records', () => {
    async function storeWithOneNode(): Promise<SqliteConversationStore> {
      const store = await openStore();
      await store.create({ id: 'c', root: testNode({ id: 'root', parentId: null, seq: 0 }) });
      await store.appendNodes('c', { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 1, text: 'hello' })] });
      return store;
    }

    /** Replaces a node's stored JSON record behind the store's back: with text as it is, or with what `rewrite` makes of the record. */
    function rewriteRecord(nodeId: string, rewrite: string | ((record: Record<string, unknown>) => unknown)): void {
      const db = raw();
      const text =
        typeof rewrite === 'string'
          ? rewrite
          : JSON.stringify(rewrite(JSON.parse(db.prepare('SELECT record FROM conversation_nodes WHERE id = ?').pluck().get(nodeId) as string) as Record<string, unknown>));
      db.prepare('UPDATE conversation_nodes SET record = ? WHERE id = ?').run(text, nodeId);
      db.close();
    }

    it('refuses a node of a newer major schema version as unsupported-schema', async () => {
      const store = await storeWithOneNode();
      rewriteRecord('a', (record) => ({ ...record, schemaVersion: '2.0' }));
      await expectReason(store.load('c'), 'unsupported-schema');
    });

    it('reads a node of a newer minor version as it is, without the fields it does not know', async () => {
      const store = await storeWithOneNode();
      rewriteRecord('a', (record) => ({ ...record, schemaVersion: '1.7', sentiment: 'happy' }));
      const node = (await store.load('c'))?.nodes[1];
      expect(node).toEqual({ ...testNode({ id: 'a', parentId: 'root', seq: 1, text: 'hello' }), schemaVersion: '1.7' });
    });

    it('reports a record that is not JSON, or not a node, as corrupt', async () => {
      const store = await storeWithOneNode();
      rewriteRecord('a', '{"schemaVersion": "1.0", "id": ');
      await expectReason(store.load('c'), 'corrupt');
      rewriteRecord('root', (record) => ({ ...record, message: { role: 'robot', content: 'beep' } }));
      rewriteRecord('a', JSON.stringify(testNode({ id: 'a', parentId: 'root', seq: 1 })));
      const error = await expectReason(store.load('c'), 'corrupt');
      expect(error.message).toContain('message');
      await expectReason(store.search('message root'), 'corrupt');
    });

    it('migrates an older record on load with the migrations it was given', async () => {
      const migrations = new SchemaMigrations([
        {
          kind: 'node',
          from: '0.9',
          to: '1.0',
          description: '0.9 kept the role and the text at the top level',
          migrate: ({ role, text, ...rest }) => ({ ...rest, message: { role, content: text } }),
        },
      ]);
      const store = await openStore({ migrations });
      await store.create({ id: 'c', root: testNode({ id: 'root', parentId: null, seq: 0 }) });
      await store.appendNodes('c', { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 1, text: 'placeholder' })] });
      rewriteRecord('a', ({ message: _message, ...record }) => ({ ...record, schemaVersion: '0.9', role: 'user', text: 'written by 0.9' }));
      const node = (await store.load('c'))?.nodes[1];
      expect(node).toEqual({ ...testNode({ id: 'a', parentId: 'root', seq: 1 }), message: { role: 'user', content: 'written by 0.9' } });
      // Without the step there is no way to read it.
      const plain = await openStore();
      await expectReason(plain.load('c'), 'unsupported-schema');
    });
  });
});
