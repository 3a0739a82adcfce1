import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { testNode } from '../test-support/conversation-node-fixtures.js';
import { PostgresConversationStore } from './postgres-conversation-store.js';
import { randomSchemaName, reachablePostgresUrl } from '@kit/test-support';

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
    await expect(store.create({ id: 'c1', root })).rejects.toThrow();
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
      expect(await store.load('c2')).toBeNull();
      await store.close();
    } finally {
      await lonePool.end();
    }
  });
});
