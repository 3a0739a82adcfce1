import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationStoreError } from '../conversation-errors.js';
import { testNode } from '../test-support/conversation-node-fixtures.js';
import { TcpProxy } from '../test-support/tcp-proxy.js';
import { PostgresConversationStore } from './postgres-conversation-store.js';
import { dropSchema, namedPool, randomSchemaName, reachablePostgresUrl, terminatedWhileBlocked, waitUntilBlocked } from '@kit/test-support';

const url = await reachablePostgresUrl('the PostgreSQL ConversationStore connection-loss tests');

/**
 * A client whose connection drops right after `BEGIN` answers, between two statements of a
 * transaction, as when the server restarts: pg then emits 'error' on the client (checked out, so
 * the pool listens no more) and fails the next statement.
 */
class ConnectionLostAfterBegin extends pg.Client {
  static armed = false;

  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (args[0] === 'BEGIN' && ConnectionLostAfterBegin.armed && result instanceof Promise) {
      ConnectionLostAfterBegin.armed = false;
      return result.then((value: unknown) => {
        (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
        return value;
      }) as never;
    }
    return result as never;
  }
}

/**
 * A client whose connection drops in the same network read that ends a plain query: pg answers
 * the query, the pool hands the client straight to the next caller waiting to connect, and then
 * reads the server's goodbye and emits 'error', all in one go, before any promise callback runs.
 */
class ConnectionLostAfterQuery extends pg.Client {
  static armed = false;

  override query(...args: unknown[]): never {
    const callback = args[2];
    // The text of a plain query or of a query config (the store names its per-turn statements).
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: unknown } | undefined)?.text;
    if (ConnectionLostAfterQuery.armed && typeof text === 'string' && text.startsWith('SELECT') && typeof callback === 'function') {
      ConnectionLostAfterQuery.armed = false;
      args[2] = (error: unknown, result: unknown) => {
        (callback as (e: unknown, r: unknown) => void)(error, result);
        (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
        this.emit('error', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
      };
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

/** The rejection of `promise`, checked to be a retryable `unavailable` store error. */
async function expectUnavailable(promise: Promise<unknown>): Promise<ConversationStoreError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'the call succeeded').toBeInstanceOf(ConversationStoreError);
  const storeError = error as ConversationStoreError;
  expect(storeError.reason, String(error)).toBe('unavailable');
  expect(storeError.code).toBe('conversation-store-unavailable');
  expect(storeError.retryable).toBe(true);
  expect(storeError.cause).toBeDefined();
  return storeError;
}

describe.skipIf(url === undefined)('PostgresConversationStore: a connection lost mid-transaction', () => {
  const schema = randomSchemaName();
  const pool = new pg.Pool({ connectionString: url, max: 2, Client: ConnectionLostAfterBegin });
  pool.on('error', () => undefined);

  afterAll(async () => {
    await pool.end();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  it('fails the write without crashing the process, writes nothing, and the store goes on', async () => {
    const store = await PostgresConversationStore.connect(pool, { schema });
    const root = testNode({ id: 'root', parentId: null, seq: 0 });
    ConnectionLostAfterBegin.armed = true;
    // A create is a transaction of two statements. Without a listener on the checked-out client,
    // pg's 'error' event between them is an uncaught exception.
    const error = await expectUnavailable(store.create({ id: 'c1', root }));
    expect(error.message).toMatch(/before the write committed; nothing was written/);
    expect(await store.load('c1')).toBeNull();
    expect((await store.create({ id: 'c1', root })).version).toBe(1);
    await store.close();
  });

  it('survives a connection lost right as the pool hands it from a read to a waiting write', async () => {
    const lonePool = new pg.Pool({ connectionString: url, max: 1, Client: ConnectionLostAfterQuery });
    lonePool.on('error', () => undefined);
    try {
      const store = await PostgresConversationStore.connect(lonePool, { schema });
      ConnectionLostAfterQuery.armed = true;
      // One connection: the write (a transaction) waits for the read's client and gets it the moment the read ends.
      const [loaded, written] = await Promise.allSettled([store.load('c2'), store.create({ id: 'c2', root: testNode({ id: 'root', parentId: null, seq: 0 }) })]);
      expect(loaded.status).toBe('fulfilled');
      expect(written.status).toBe('rejected');
      await expectUnavailable(Promise.reject((written as PromiseRejectedResult).reason));
      expect(await store.load('c2')).toBeNull();
      await store.close();
    } finally {
      await lonePool.end();
    }
  });
});

describe.skipIf(url === undefined)('PostgresConversationStore: a server that ends its connections or goes away', () => {
  const schema = randomSchemaName();
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin.end();
    await dropSchema(url!, schema);
  });

  /**
   * Runs `write` while this test holds the conversation's row lock, and ends the store's backend
   * once it is blocked on it (57P01): the write fails in flight, at a moment the test chooses.
   */
  const whileRowLocked = (name: string, conversationId: string, write: () => Promise<unknown>) =>
    terminatedWhileBlocked(url!, name, (locker) => locker.query(`SELECT 1 FROM "${schema}".conversations WHERE id = $1 FOR UPDATE`, [conversationId]), write);

  it('fails a write whose backend the server ends as unavailable and retryable; the pool reconnects and the same write then succeeds', async () => {
    const { pool, name } = namedPool(url!);
    try {
      const store = await PostgresConversationStore.connect(pool, { schema });
      await store.create({ id: 'k1', root: testNode({ id: 'root', parentId: null, seq: 0 }) });
      const append = () => store.appendNodes('k1', { expectedVersion: 1, nodes: [testNode({ id: 'n1', parentId: 'root', seq: 1 })] });

      // appendNodes is one statement, its own transaction: from the client's side it may have committed.
      const error = await expectUnavailable(Promise.reject(await whileRowLocked(name, 'k1', append)));
      expect(error.message).toMatch(/may or may not have been stored/);
      expect(error.conversationId).toBe('k1');
      expect((error.cause as { code?: unknown }).code).toBe('57P01');

      // Killed while waiting for the lock, it was not stored: the same call, expected version and all, goes through.
      expect((await append()).version).toBe(2);
      expect((await store.load('k1'))?.nodes.map((node) => node.id)).toEqual(['root', 'n1']);
      await store.close();
    } finally {
      await pool.end();
    }
  });

  it('says nothing was written when a transaction loses its backend before COMMIT', async () => {
    const { pool, name } = namedPool(url!);
    try {
      const store = await PostgresConversationStore.connect(pool, { schema });
      await store.create({ id: 'k2', root: testNode({ id: 'root', parentId: null, seq: 0 }) });
      const update = () => store.updateMetadata('k2', { tag: 'x' }, { expectedVersion: 1 });
      const error = await expectUnavailable(Promise.reject(await whileRowLocked(name, 'k2', update)));
      expect(error.message).toMatch(/before the write committed; nothing was written/);
      expect((await update()).version).toBe(2);
      expect((await store.load('k2'))?.metadata).toEqual({ tag: 'x' });
      await store.close();
    } finally {
      await pool.end();
    }
  });

  it('reports a deadlock the server broke by aborting the store\'s transaction as a retryable conflict, with nothing written', async () => {
    const { pool, name } = namedPool(url!);
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      const store = await PostgresConversationStore.connect(pool, { schema });
      await store.create({ id: 'k4', root: testNode({ id: 'root', parentId: null, seq: 0 }) });
      await store.appendNodes('k4', { expectedVersion: 1, nodes: [testNode({ id: 'n1', parentId: 'root', seq: 1 })] });
      // The store's transaction locks the conversation's row, then waits to read the nodes, which
      // the other transaction holds; the other then waits for the row. The store waited first, so
      // its deadlock check (after deadlock_timeout, 1 s by default) finds the cycle and aborts it.
      await other.query('BEGIN');
      await other.query(`LOCK TABLE "${schema}".conversation_nodes IN ACCESS EXCLUSIVE MODE`);
      const moved = store.setActiveNode('k4', 'root', { expectedVersion: 2 }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      await waitUntilBlocked(admin, name);
      const otherUpdate = other.query(`UPDATE "${schema}".conversations SET updated_at = now() WHERE id = 'k4'`);
      const error = await moved;
      await otherUpdate;
      await other.query('ROLLBACK');
      expect(error).toBeInstanceOf(ConversationStoreError);
      expect(error).toMatchObject({ reason: 'conflict', retryable: true, conversationId: 'k4' });
      expect((error as Error).message).toMatch(/deadlock detected\); nothing was written/);
      expect(((error as Error).cause as { code?: unknown }).code).toBe('40P01');
      expect((await store.setActiveNode('k4', 'root', { expectedVersion: 2 })).version).toBe(3);
      await store.close();
    } finally {
      await other.end();
      await pool.end();
    }
  });

  it('fails reads and writes as unavailable while the server refuses connections, and works again once it is back', async () => {
    const target = new URL(url!);
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    const viaProxy = new URL(url!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const pool = new pg.Pool({ connectionString: viaProxy.toString(), max: 2 });
    pool.on('error', () => undefined);
    try {
      const store = await PostgresConversationStore.connect(pool, { schema });
      await store.create({ id: 'k3', root: testNode({ id: 'root', parentId: null, seq: 0 }) });

      await proxy.stop();
      // The idle connections were cut: wait until the pool has dropped them, so that the next
      // call connects anew and is refused (rather than finding a dying connection).
      for (let waited = 0; pool.totalCount > 0; waited += 10) {
        if (waited > 5_000) throw new Error('the pool kept its cut connections');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const read = await expectUnavailable(store.load('k3'));
      expect(read.message).toMatch(/^cannot reach the database \(.*ECONNREFUSED/);
      const write = await expectUnavailable(store.appendNodes('k3', { expectedVersion: 1, nodes: [testNode({ id: 'n1', parentId: 'root', seq: 1 })] }));
      expect(write.message).toMatch(/nothing was written/);
      await expectUnavailable(store.updateMetadata('k3', { tag: 'x' }, { expectedVersion: 1 }));
      await expectUnavailable(store.list());
      // Connecting a new store fails the same way (its own pool, ended again).
      await expectUnavailable(PostgresConversationStore.connect(viaProxy.toString(), { schema }));

      await proxy.start();
      expect((await store.load('k3'))?.version).toBe(1);
      expect((await store.appendNodes('k3', { expectedVersion: 1, nodes: [testNode({ id: 'n1', parentId: 'root', seq: 1 })] })).version).toBe(2);
      await store.close();
    } finally {
      await pool.end();
      await proxy.stop();
    }
  });
});
