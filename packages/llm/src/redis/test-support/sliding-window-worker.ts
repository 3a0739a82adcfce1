// A child process for the multi-process sliding-window test (bundled by `bundleTestWorker`).
//   node worker.mjs <redisUrl> <prefix> <loops> <seed>
// Connects, prints "ready", then waits for "go <startAt> <endAt>" (epoch ms) on stdin. From
// startAt to endAt it runs <loops> callers at once, each admitting 1 request and 5..10 tokens into
// the shared windows and, when refused, sleeping the wait the store answered, as the rateLimit
// middleware's queue does. Ends by printing "done <json>": every grant as [at, tokens], `at`
// being the time the store gave the entries (Redis TIME, never below a window's newest entry).
import { Redis } from 'ioredis';
import { RedisSlidingWindowStore } from '../redis-sliding-window-store.js';
import { SHARED_WINDOWS } from './shared-windows.js';
import { readyThenWaitForGo } from './worker-start-signal.js';

const [url, prefix, loopsArg, seedArg] = process.argv.slice(2);
if (url === undefined || prefix === undefined) throw new Error('usage: worker.mjs <redisUrl> <prefix> <loops> <seed>');

const client = new Redis(url);
const store = new RedisSlidingWindowStore({ client, prefix });
await client.ping();
const { endAt } = await readyThenWaitForGo();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const grants: Array<[number, number]> = [];

async function caller(seed: number): Promise<void> {
  let random = seed;
  const nextTokens = () => {
    random = (random * 1_103_515_245 + 12_345) % 2_147_483_648;
    return 5 + (random % 6);
  };
  let tokens = nextTokens();
  while (Date.now() < endAt) {
    const result = await store.take(
      [
        { key: 'shared:requests', amount: 1, limit: SHARED_WINDOWS.requests },
        { key: 'shared:tokens', amount: tokens, limit: SHARED_WINDOWS.tokens },
      ],
      Date.now(),
    );
    if (result.granted) {
      grants.push([result.admission.at, tokens]);
      tokens = nextTokens();
    } else {
      await sleep(Math.min(result.waitMs, Math.max(0, endAt - Date.now())));
    }
  }
}

const seed = Number(seedArg ?? 1);
await Promise.all(Array.from({ length: Number(loopsArg ?? 1) }, (_, i) => caller(seed * 1000 + i)));
process.stdout.write(`done ${JSON.stringify(grants)}\n`);
await client.quit();
