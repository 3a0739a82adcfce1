import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchema, namedPool, randomSchemaName, reachablePostgresUrl, terminatedWhileBlocked } from '@kit/test-support';
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

  afterAll(() => dropSchema(url!, schema));

  it('fails a write whose backend the server ends before COMMIT as unavailable and retryable, without crashing; the pool reconnects', async () => {
    const { pool, name } = namedPool(url!);
    try {
      const store = await PostgresPromptStore.connect(pool, { schema });
      const create = () => store.createVersion({ promptName: 'p', kind: 'system', template: { template: 'a' } });
      // The store serialises a prompt's writers with this advisory lock: holding it parks the write mid-transaction.
      const lockPrompt = (locker: pg.Client) => locker.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`kit-prompt-store:${schema}:versions:system:p`]);
      const error = await expectStoreError(Promise.reject(await terminatedWhileBlocked(url!, name, lockPrompt, create)), 'unavailable');
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
    const { pool, name } = namedPool(url!);
    try {
      const store = await PostgresPromptStore.connect(pool, { schema });
      await store.createVersion({ promptName: 'q', kind: 'system', template: { template: 'a' } });
      const lockTable = (locker: pg.Client) => locker.query(`LOCK TABLE "${schema}".prompt_versions IN ACCESS EXCLUSIVE MODE`);
      const error = await expectStoreError(Promise.reject(await terminatedWhileBlocked(url!, name, lockTable, () => store.getVersion('q', 'system', '1.0.0'))), 'unavailable');
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/^lost the connection to the database/);
      expect((await store.getVersion('q', 'system', '1.0.0'))?.version).toBe('1.0.0');
      await store.close();
    } finally {
      await pool.end();
    }
  });

  it('fails a write cut off as it commits as unavailable but not retryable: it may have been stored', async () => {
    const { pool } = namedPool(url!, { Client: ConnectionLostAtCommit });
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
