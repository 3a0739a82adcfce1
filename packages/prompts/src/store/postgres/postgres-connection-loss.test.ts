import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomSchemaName, reachablePostgresUrl } from '@kit/test-support';
import { expectStoreError } from '../test-support/prompt-store-conformance.js';
import { PostgresPromptStore } from './postgres-prompt-store.js';

// Decided once, at collection time: with no server, every test below is reported as skipped.
const url = await reachablePostgresUrl('the PostgreSQL PromptStore connection-loss tests');

/** A client whose connection drops right after it sends `COMMIT`: the write's outcome is unknown to it. */
class ConnectionLostAtCommit extends pg.Client {
  static armed = false;

  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (args[0] === 'COMMIT' && ConnectionLostAtCommit.armed) {
      ConnectionLostAtCommit.armed = false;
      (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    }
    return result as never;
  }
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.skipIf(url === undefined)('PostgresPromptStore: a server that ends its connections or refuses them', () => {
  const schema = randomSchemaName();
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  /** A pool whose backends the test can find by name in pg_stat_activity. */
  function namedPool(Client?: typeof pg.Client): { pool: pg.Pool; name: string } {
    const name = `kit_test_${randomUUID().slice(0, 8)}`;
    const pool = new pg.Pool({ connectionString: url, max: 2, application_name: name, ...(Client === undefined ? {} : { Client }) });
    pool.on('error', () => undefined);
    return { pool, name };
  }

  /**
   * Runs `call` while `lock` (run by another client in an open transaction) blocks it, waits
   * until the store's backend waits on that lock, and ends the backend as a server shutdown does
   * (57P01): the call fails in flight, at a moment the test chooses.
   */
  async function terminatedWhileBlocked(name: string, lock: (locker: pg.Client) => Promise<unknown>, call: () => Promise<unknown>): Promise<unknown> {
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await lock(locker);
      const outcome = call().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      for (let waited = 0; ; waited += 10) {
        const blocked = await admin.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [name]);
        if (blocked.rowCount !== 0) break;
        if (waited > 5_000) throw new Error('the store never waited on the lock');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const ended = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [name]);
      expect(ended.rowCount).toBeGreaterThan(0);
      return await outcome;
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  }

  it('fails a write whose backend the server ends before COMMIT as unavailable and retryable, without crashing; the pool reconnects', async () => {
    const { pool, name } = namedPool();
    try {
      const store = await PostgresPromptStore.connect(pool, { schema });
      const create = () => store.createVersion({ promptName: 'p', kind: 'system', template: { template: 'a' } });
      // The store serialises a prompt's writers with this advisory lock: holding it parks the write mid-transaction.
      const lockPrompt = (locker: pg.Client) => locker.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`kit-prompt-store:${schema}:versions:system:p`]);
      const error = await expectStoreError(Promise.reject(await terminatedWhileBlocked(name, lockPrompt, create)), 'unavailable');
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/before the write committed; nothing was written/);
      expect((error.cause as { code?: unknown }).code).toBe('57P01');
      // Nothing was stored: the same call makes version 1.0.0.
      expect((await create()).version).toBe('1.0.0');
      expect((await store.listVersions('p', 'system')).map((version) => version.version)).toEqual(['1.0.0']);
      await store.close();
    } finally {
      await pool.end();
    }
  });

  it('fails a read whose backend the server ends as unavailable and retryable', async () => {
    const { pool, name } = namedPool();
    try {
      const store = await PostgresPromptStore.connect(pool, { schema });
      await store.createVersion({ promptName: 'q', kind: 'system', template: { template: 'a' } });
      const lockTable = (locker: pg.Client) => locker.query(`LOCK TABLE "${schema}".prompt_versions IN ACCESS EXCLUSIVE MODE`);
      const error = await expectStoreError(Promise.reject(await terminatedWhileBlocked(name, lockTable, () => store.getVersion('q', 'system', '1.0.0'))), 'unavailable');
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/^lost the connection to the database/);
      expect((await store.getVersion('q', 'system', '1.0.0'))?.version).toBe('1.0.0');
      await store.close();
    } finally {
      await pool.end();
    }
  });

  it('fails a write cut off as it commits as unavailable but not retryable: it may have been stored', async () => {
    const { pool } = namedPool(ConnectionLostAtCommit);
    try {
      const store = await PostgresPromptStore.connect(pool, { schema });
      ConnectionLostAtCommit.armed = true;
      const error = await expectStoreError(store.createVersion({ promptName: 'r', kind: 'system', template: { template: 'a' } }), 'unavailable');
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/may or may not have been stored/);
      // The store goes on: the pool replaced the broken connection.
      expect(await store.listPromptNames('user')).toEqual([]);
      await store.close();
    } finally {
      await pool.end();
    }
  });

  it('fails to connect to a server that refuses connections as unavailable and retryable', async () => {
    const refused = new URL(url!);
    refused.hostname = '127.0.0.1';
    refused.port = String(await closedPort());
    const error = await expectStoreError(PostgresPromptStore.connect(refused.toString(), { schema }), 'unavailable');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^cannot reach the database \(.*ECONNREFUSED.*\); nothing was written$/);
  });
});
