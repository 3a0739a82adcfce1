import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL URL a test suite may use: `KIT_PG_URL`, if it is set and a server answers
 * within two seconds. Otherwise `undefined`, after ONE loud warning that `suite` is skipped and
 * why. The URL itself is never printed: it may hold a password.
 */
export async function reachablePostgresUrl(suite: string): Promise<string | undefined> {
  const url = process.env['KIT_PG_URL'];
  if (url === undefined || url === '') {
    console.warn(`⚠⚠ KIT_PG_URL is not set: ${suite} are SKIPPED ⚠⚠`);
    return undefined;
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return url;
  } catch (error) {
    console.warn(`⚠⚠ PostgreSQL at KIT_PG_URL is unreachable (${error instanceof Error ? error.message : String(error)}): ${suite} are SKIPPED ⚠⚠`);
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh schema name, so parallel test runs never see each other's tables. */
export function randomSchemaName(prefix = 'kit_test'): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

/** Drops a schema a test made, with everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema.replaceAll('"', '""')}" CASCADE`);
  } finally {
    await client.end();
  }
}
