import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/**
 * The Redis URL the tests may use: `KIT_REDIS_URL`, if set and a server answers PING within two
 * seconds. Otherwise `undefined`, after ONE loud warning that `what` is skipped and why (the URL
 * itself is never printed: it may hold a password).
 */
export async function reachableRedisUrl(what: string): Promise<string | undefined> {
  const url = process.env['KIT_REDIS_URL'];
  if (url === undefined || url === '') {
    console.warn(`⚠⚠ KIT_REDIS_URL is not set: ${what} SKIPPED ⚠⚠`);
    return undefined;
  }
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let lastError: unknown;
  client.on('error', (error: unknown) => {
    lastError = error;
  });
  try {
    await client.connect();
    await client.ping();
    return url;
  } catch (error) {
    const reason = lastError ?? error;
    console.warn(`⚠⚠ Redis at KIT_REDIS_URL is unreachable (${reason instanceof Error ? reason.message : String(reason)}): ${what} SKIPPED ⚠⚠`);
    return undefined;
  } finally {
    client.disconnect();
  }
}

/** A key prefix no other test run uses. */
export function randomPrefix(what: string): string {
  return `kit-test:${what}:${randomBytes(6).toString('hex')}:`;
}

/** A client for tests, its errors kept quiet (a test that expects them asserts on the rejections). */
export function testClient(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  return client;
}

/** Deletes every key under `prefix` (glob characters in it taken literally). */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await client.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** A TCP port on 127.0.0.1 where nothing listens (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/** A client pointed at a port where nothing listens, failing each command at once. */
export async function unreachableClient(): Promise<Redis> {
  const client = new Redis({ host: '127.0.0.1', port: await closedPort(), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  return client;
}
