import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisScript } from './redis-script.js';
import { reachableRedisUrl, testClient } from './test-support/redis-test-server.js';

const url = await reachableRedisUrl('the RedisScript tests are');
let client: Redis;

describe.skipIf(url === undefined)('RedisScript', () => {
  beforeAll(() => {
    client = testClient(url!);
  });
  afterAll(() => {
    client.disconnect();
  });

  it('sends a script Redis has not seen in full, then runs it by its SHA-1', async () => {
    // A comment no other run has used: the script is certainly not in Redis's cache yet.
    const script = new RedisScript(`-- ${randomBytes(8).toString('hex')}\nreturn { KEYS[1], ARGV[1] }`);
    expect(await client.script('EXISTS', script.sha)).toEqual([0]);
    expect(await script.run(client, ['k'], ['v'])).toEqual(['k', 'v']);
    expect(await client.script('EXISTS', script.sha)).toEqual([1]);
    expect(await script.run(client, ['k2'], [2])).toEqual(['k2', '2']);
  });

  it('passes on errors other than NOSCRIPT', async () => {
    const script = new RedisScript(`-- ${randomBytes(8).toString('hex')}\nreturn redis.error_reply('ERR broken on purpose')`);
    await expect(script.run(client, [], [])).rejects.toThrow('broken on purpose');
  });
});
