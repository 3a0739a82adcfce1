// A child process for the multi-process rate limit test (bundled by `bundleTestWorker`).
//   node worker.mjs <redisUrl> <prefix> <loops> <seed>
// Connects, prints "ready", then waits for "go <startAt> <endAt>" (epoch ms) on stdin. From
// startAt to endAt it runs <loops> callers at once, each drawing 1 request and 5..10 tokens from
// the shared buckets and, when refused, sleeping the wait the store answered, as the rateLimit
// middleware's queue does. Ends by printing "done <json>": every grant as [sentAt, answeredAt,
// tokens], both on this process's Date.now().
import { Redis } from 'ioredis';
import { RedisTokenBucketStore } from '../redis-token-bucket-store.js';
import { SHARED_LIMITS } from './shared-limits.js';
import { readyThenWaitForGo } from './worker-start-signal.js';

const [url, prefix, loopsArg, seedArg] = process.argv.slice(2);
if (url === undefined || prefix === undefined) throw new Error('usage: worker.mjs <redisUrl> <prefix> <loops> <seed>');

const client = new Redis(url);
const store = new RedisTokenBucketStore({ client, prefix });
await client.ping();
const { endAt } = await readyThenWaitForGo();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const grants: Array<[number, number, number]> = [];

async function caller(seed: number): Promise<void> {
  let random = seed;
  const nextTokens = () => {
    random = (random * 1_103_515_245 + 12_345) % 2_147_483_648;
    return 5 + (random % 6);
  };
  let tokens = nextTokens();
  while (Date.now() < endAt) {
    const sentAt = Date.now();
    const result = await store.take(
      [
        { key: 'shared:requests', amount: 1, limit: SHARED_LIMITS.requests },
        { key: 'shared:tokens', amount: tokens, limit: SHARED_LIMITS.tokens },
      ],
      sentAt,
    );
    const answeredAt = Date.now();
    if (result.granted) {
      grants.push([sentAt, answeredAt, tokens]);
      tokens = nextTokens();
    } else {
      await sleep(Math.min(result.waitMs, Math.max(0, endAt - answeredAt)));
    }
  }
}

const seed = Number(seedArg ?? 1);
await Promise.all(Array.from({ length: Number(loopsArg ?? 1) }, (_, i) => caller(seed * 1000 + i)));
process.stdout.write(`done ${JSON.stringify(grants)}\n`);
await client.quit();
