import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { findPostgresBin, ThrowawayPostgres } from './throwaway-postgres.js';

function serverBinaries(): boolean {
  try {
    findPostgresBin();
    return true;
  } catch (error) {
    console.warn(`⚠⚠ ${(error as Error).message}: the throwaway PostgreSQL tests are SKIPPED ⚠⚠`);
    return false;
  }
}

describe.runIf(serverBinaries())('ThrowawayPostgres', () => {
  it('starts a cluster of its own, survives a restart with its data, and removes itself', async () => {
    const cluster = await ThrowawayPostgres.start();
    try {
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      await client.query('CREATE TABLE kept (n int)');
      await client.query('INSERT INTO kept VALUES (1)');
      client.on('error', () => undefined);
      await cluster.restart();
      // The connection from before the restart is gone: the server closed it.
      await expect(client.query('SELECT 1')).rejects.toThrow();
      await client.end().catch(() => undefined);
      const again = new pg.Client({ connectionString: cluster.url });
      await again.connect();
      expect((await again.query<{ n: number }>('SELECT n FROM kept')).rows).toEqual([{ n: 1 }]);
      await again.end();
    } finally {
      await cluster.stop();
    }
    const after = new pg.Client({ connectionString: cluster.url, connectionTimeoutMillis: 1_000 });
    await expect(after.connect()).rejects.toThrow();
  });

  it('stops at once without promises, for a signal handler', async () => {
    const cluster = await ThrowawayPostgres.start();
    cluster.stopNow();
    const after = new pg.Client({ connectionString: cluster.url, connectionTimeoutMillis: 1_000 });
    await expect(after.connect()).rejects.toThrow();
  });
});
