import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConversationConflictError, ConversationStoreError, type ConversationStoreErrorReason } from '../conversation-errors.js';
import { describeConversationStoreConformance } from '../test-support/conversation-store-conformance.js';
import { testNode } from '../test-support/conversation-node-fixtures.js';
import { POSTGRES_CONVERSATION_DDL_VERSION } from './postgres-conversation-schema.js';
import { PostgresConversationStore } from './postgres-conversation-store.js';
import { randomSchemaName, reachablePostgresUrl } from '@kit/test-support';

// Decided once, at collection time (one file, so one warning): with no server, every test below
// is reported as skipped.
const url = await reachablePostgresUrl('the PostgreSQL ConversationStore tests');

async function expectReason(promise: Promise<unknown>, reason: ConversationStoreErrorReason): Promise<ConversationStoreError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConversationStoreError);
  expect((error as ConversationStoreError).reason, String(error)).toBe(reason);
  return error as ConversationStoreError;
}

describe.skipIf(url === undefined)('PostgresConversationStore', () => {
  let admin: pg.Pool;
  const schemas: string[] = [];
  let schema: string;
  const stores: PostgresConversationStore[] = [];

  async function connect(options: { maxConnections?: number } = {}): Promise<PostgresConversationStore> {
    const store = await PostgresConversationStore.connect(url!, { schema, ...options });
    stores.push(store);
    return store;
  }

  beforeAll(() => {
    admin = new pg.Pool({ connectionString: url, max: 2 });
  });

  beforeEach(() => {
    schema = randomSchemaName();
    schemas.push(schema);
  });

  afterAll(async () => {
    for (const store of stores) await store.close();
    for (const name of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await admin.end();
  });

  describe('conformance', () => {
    // One schema for the whole suite: its tests use fresh ids and per-test tags.
    const suiteSchema = randomSchemaName();
    schemas.push(suiteSchema);

    describeConversationStoreConformance('PostgreSQL', async () => {
      const store = await PostgresConversationStore.connect(url!, { schema: suiteSchema, maxConnections: 4 });
      return { store, cleanup: () => store.close() };
    });
  });

  it('creates its schema and tables once when two stores connect at the same moment, and reconnects to them', async () => {
    const [first, second] = await Promise.all([connect(), connect()]);
    await first.create({ id: 'c', root: testNode({ id: 'root', parentId: null, seq: 0 }) });
    expect((await second.load('c'))?.nodes.map((node) => node.id)).toEqual(['root']);
    const version = await admin.query(`SELECT version FROM "${schema}".kit_schema WHERE component = 'conversations'`);
    expect(version.rows).toEqual([{ version: POSTGRES_CONVERSATION_DDL_VERSION }]);
    const third = await connect();
    expect((await third.load('c'))?.version).toBe(1);
  });

  it('refuses tables of a newer DDL version, and a schema name that is not a plain identifier', async () => {
    await connect();
    await admin.query(`UPDATE "${schema}".kit_schema SET version = $1 WHERE component = 'conversations'`, [POSTGRES_CONVERSATION_DDL_VERSION + 1]);
    await expectReason(PostgresConversationStore.connect(url!, { schema }), 'unsupported-schema');
    await expectReason(PostgresConversationStore.connect(url!, { schema: 'x"; DROP SCHEMA public; --' }), 'invalid');
  });

  it('leaves a pool it was given open on close', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      const store = await PostgresConversationStore.connect(pool, { schema });
      await store.create({ id: 'c', root: testNode({ id: 'root', parentId: null, seq: 0 }) });
      await store.close();
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('runs its per-turn statements prepared on a connection shared by stores of two schemas, or unprepared when told', async () => {
    const otherSchema = randomSchemaName();
    schemas.push(otherSchema);
    // One connection: both stores' load and append are prepared on it, under names that differ by schema.
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const here = await PostgresConversationStore.connect(pool, { schema });
      const there = await PostgresConversationStore.connect(pool, { schema: otherSchema });
      const unprepared = await PostgresConversationStore.connect(pool, { schema, preparedStatements: false });
      for (const store of [here, there]) {
        await store.create({ id: 'c', root: testNode({ id: 'root', parentId: null, seq: 0 }) });
        for (let seq = 1; seq <= 3; seq++) {
          await store.appendNodes('c', { expectedVersion: seq, nodes: [testNode({ id: `n${seq}`, parentId: seq === 1 ? 'root' : `n${seq - 1}`, seq })] });
        }
      }
      await unprepared.appendNodes('c', { expectedVersion: 4, nodes: [testNode({ id: 'n4', parentId: 'n3', seq: 4 })] });
      expect((await here.load('c'))?.nodes.map((node) => node.id)).toEqual(['root', 'n1', 'n2', 'n3', 'n4']);
      expect((await there.load('c'))?.nodes.map((node) => node.id)).toEqual(['root', 'n1', 'n2', 'n3']);
      const prepared = await pool.query<{ count: string }>(`SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'kit_conversations_%'`);
      expect(Number(prepared.rows[0]!.count)).toBe(4); // load and append, for each of the two schemas
    } finally {
      await pool.end();
    }
  });

  it('of two connections appending from the same version at the same moment, exactly one wins each round', async () => {
    const left = await connect({ maxConnections: 1 });
    const right = await connect({ maxConnections: 1 });
    await left.create({ id: 'race', root: testNode({ id: 'root', parentId: null, seq: 0 }) });
    const winners: string[] = [];
    for (let round = 1; round <= 10; round++) {
      const before = (await left.load('race'))!;
      const parent = before.nodes.at(-1)!;
      const attempt = (store: PostgresConversationStore, name: string) =>
        store.appendNodes('race', { expectedVersion: before.version, nodes: [testNode({ id: `${name}-${round}`, parentId: parent.id, seq: parent.seq + 1 })], activeNodeId: `${name}-${round}` });
      const results = await Promise.allSettled([attempt(left, 'left'), attempt(right, 'right')]);
      const won = results.flatMap((result, index) => (result.status === 'fulfilled' ? [index === 0 ? 'left' : 'right'] : []));
      const lost = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toBeInstanceOf(ConversationConflictError);
      expect((lost[0] as ConversationConflictError).actualVersion).toBe(before.version + 1);
      winners.push(`${won[0]}-${round}`);
    }
    const loaded = (await right.load('race'))!;
    expect(loaded.version).toBe(11);
    expect(loaded.nodes.map((node) => node.id)).toEqual(['root', ...winners]);
    expect(loaded.activeNodeId).toBe(winners.at(-1));
  });

  it('writes only the new node rows and one header row on append', async () => {
    const store = await connect();
    await store.create({ id: 'c', root: testNode({ id: 'n0', parentId: null, seq: 0 }) });
    await store.appendNodes('c', { expectedVersion: 1, nodes: Array.from({ length: 50 }, (_, index) => testNode({ id: `n${index + 1}`, parentId: `n${index}`, seq: index + 1 })) });
    const s = `"${schema}"`;
    await admin.query(`
      CREATE TABLE ${s}.audit (id serial, what text);
      CREATE FUNCTION ${s}.log_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO ${s}.audit (what) VALUES (TG_TABLE_NAME || ' ' || lower(TG_OP)); RETURN NULL; END $$;
      CREATE TRIGGER nodes_audit AFTER INSERT OR UPDATE OR DELETE ON ${s}.conversation_nodes FOR EACH ROW EXECUTE FUNCTION ${s}.log_write();
      CREATE TRIGGER header_audit AFTER INSERT OR UPDATE OR DELETE ON ${s}.conversations FOR EACH ROW EXECUTE FUNCTION ${s}.log_write();
    `);
    await store.appendNodes('c', { expectedVersion: 2, nodes: [testNode({ id: 'n51', parentId: 'n50', seq: 51 })], activeNodeId: 'n51' });
    const audit = await admin.query(`SELECT what FROM ${s}.audit ORDER BY id`);
    expect(audit.rows.map((row: { what: string }) => row.what)).toEqual(['conversations update', 'conversation_nodes insert']);
  });

  it('keeps user text as data, U+0000 included in messages, and refuses it where PostgreSQL cannot store it', async () => {
    const store = await connect();
    const texts = ['{{ user }} ((maybe)) {% if x %}', 'stop <|endoftext|> here', 'nul\u0000inside', 'Straße ÄRGER İstanbul 🦜'];
    await store.create({ id: 'c', root: testNode({ id: 'root', parentId: null, seq: 0 }) });
    const nodes = texts.map((text, index) => testNode({ id: `n${index}`, parentId: 'root', seq: index + 1, text }));
    await store.appendNodes('c', { expectedVersion: 1, nodes });
    expect((await store.load('c'))?.nodes.slice(1)).toEqual(nodes);
    expect((await store.search('<|endoftext|>')).map((hit) => hit.nodeId)).toEqual(['n1']);
    expect((await store.search('ärger')).map((hit) => hit.nodeId)).toEqual(['n3']);
    expect((await store.search('\u0000inside')).map((hit) => hit.nodeId)).toEqual(['n2']);
    // The search column drops U+0000 (PostgreSQL text cannot hold it), but hits follow the message text, as in every store.
    expect(await store.search('nulinside')).toEqual([]);
    // JSONB metadata cannot hold U+0000: a typed refusal, and nothing written.
    await expectReason(store.updateMetadata('c', { note: 'a\u0000b' }, { expectedVersion: 2 }), 'invalid');
    await expectReason(store.create({ id: 'bad\u0000id', root: testNode({ id: 'root', parentId: null, seq: 0 }) }), 'invalid');
    expect((await store.load('c'))?.version).toBe(2);
  });

  it('filters metadata with keys holding any character, by JSON type', async () => {
    const store = await connect();
    await store.create({ id: 'odd', root: testNode({ id: 'root', parentId: null, seq: 0 }), metadata: { 'a.b': 'dot', 'x"y': 'quote', $: 1.5, '[0]': true } });
    await store.create({ id: 'plain', root: testNode({ id: 'root', parentId: null, seq: 0 }), metadata: { a: { b: 'dot' }, $: '1.5', '[0]': 1, list: [1, 2] } });
    const listed = async (filter: Record<string, string | number | boolean>) => (await store.list({ metadata: filter })).items.map((item) => item.id);
    expect(await listed({ 'a.b': 'dot' })).toEqual(['odd']);
    expect(await listed({ 'x"y': 'quote' })).toEqual(['odd']);
    expect(await listed({ $: 1.5 })).toEqual(['odd']);
    expect(await listed({ $: '1.5' })).toEqual(['plain']);
    expect(await listed({ '[0]': true })).toEqual(['odd']);
    expect(await listed({ '[0]': 1 })).toEqual(['plain']);
    // Containment would match an element of an array; equality must not.
    expect(await listed({ list: 1 })).toEqual([]);
  });

  it('refuses a stored node of a newer major schema version, and reports a damaged one as corrupt', async () => {
    const store = await connect();
    await store.create({ id: 'c', root: testNode({ id: 'root', parentId: null, seq: 0 }) });
    await store.appendNodes('c', { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 1 })] });
    const nodes = `"${schema}".conversation_nodes`;
    await admin.query(`UPDATE ${nodes} SET record = json_build_object('schemaVersion', '2.0', 'id', 'a') WHERE id = 'a'`);
    await expectReason(store.load('c'), 'unsupported-schema');
    await admin.query(`UPDATE ${nodes} SET record = json_build_object('schemaVersion', '1.0', 'id', 'a', 'parentId', 'root', 'seq', 1) WHERE id = 'a'`);
    await expectReason(store.load('c'), 'corrupt');
  });
});
