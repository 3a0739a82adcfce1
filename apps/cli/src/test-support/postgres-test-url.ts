import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * `KIT_PG_URL` when it is set and a server answers within two seconds; otherwise `undefined`,
 * after one loud line saying the PostgreSQL tests of the CLI are skipped (the URL is never
 * printed: it may hold a password).
 */
export async function reachablePostgresUrl(): Promise<string | undefined> {
  const url = process.env['KIT_PG_URL'];
  if (url === undefined || url === '') {
    console.warn('⚠⚠ KIT_PG_URL is not set: the PostgreSQL tests of kit are SKIPPED ⚠⚠');
    return undefined;
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return url;
  } catch (error) {
    console.warn(`⚠⚠ PostgreSQL at KIT_PG_URL is unreachable (${error instanceof Error ? error.message : String(error)}): the PostgreSQL tests of kit are SKIPPED ⚠⚠`);
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh schema name, so parallel runs never see each other's tables. */
export function randomSchemaName(): string {
  return `kit_cli_test_${randomBytes(6).toString('hex')}`;
}

/** Drops a schema the test made. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
