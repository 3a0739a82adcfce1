import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

/** Where the shared services are: `KIT_PG_URL` and `KIT_REDIS_URL`. */
export interface ServiceUrls {
  postgresUrl: string | undefined;
  redisUrl: string | undefined;
}

export function serviceUrlsFromEnvironment(): ServiceUrls {
  const read = (name: string) => {
    const value = process.env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  return { postgresUrl: read('KIT_PG_URL'), redisUrl: read('KIT_REDIS_URL') };
}

/** Why PostgreSQL at `url` cannot be used, or undefined when it answers (the URL is never in the text: it may hold a password). */
export async function postgresProblem(url: string | undefined): Promise<string | undefined> {
  if (url === undefined) return 'KIT_PG_URL is not set';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL at KIT_PG_URL is unreachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why Redis at `url` cannot be used, or undefined when it answers. */
export async function redisProblem(url: string | undefined): Promise<string | undefined> {
  if (url === undefined) return 'KIT_REDIS_URL is not set';
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return `Redis at KIT_REDIS_URL is unreachable (${(error as Error).message})`;
  } finally {
    client.disconnect();
  }
}

/** A name for this run's schema and key prefix: unique, so runs and other users never collide. */
export function uniqueRunId(): string {
  return `lt_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** Drops a schema and everything in it (the end of a run). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new RangeError(`not a schema name: ${schema}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Deletes every Redis key that starts with `prefix`. */
export async function deleteRedisKeys(client: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await client.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
