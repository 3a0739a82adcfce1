import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL URL the tests may use: `KIT_PG_URL`, if set and a server answers within two
 * seconds. Otherwise `undefined`, after ONE loud warning that the PostgreSQL ConversationStore
 * tests are skipped and why (the URL itself is never printed: it may hold a password).
 */
export async function reachablePostgresUrl(): Promise<string | undefined> {
  const url = process.env['KIT_PG_URL'];
  if (url === undefined || url === '') {
    console.warn('⚠⚠ KIT_PG_URL is not set: the PostgreSQL ConversationStore tests are SKIPPED ⚠⚠');
    return undefined;
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return url;
  } catch (error) {
    console.warn(
      `⚠⚠ PostgreSQL at KIT_PG_URL is unreachable (${error instanceof Error ? error.message : String(error)}): the PostgreSQL ConversationStore tests are SKIPPED ⚠⚠`,
    );
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh schema name, so test runs never see each other's tables. */
export function randomSchemaName(): string {
  return `kit_conversations_test_${randomBytes(6).toString('hex')}`;
}
