// The child side of the multi-process limiter tests (each worker file is bundled by
// `bundleTestWorker`):   node worker.mjs <redisUrl> <prefix> <loops> <seed>
// Connects, prints "ready", then waits for "go <startAt> <endAt>" (epoch ms) on stdin. From
// startAt to endAt it runs <loops> callers at once, each asking for 1 request and 5..10 tokens
// (a seeded sequence per caller) and, when refused, sleeping the wait the store answered, as the
// rateLimit middleware's queue does. Ends by printing "done <json>": every grant's record.
import { Redis } from 'ioredis';
import { readyThenWaitForGo } from './worker-start-signal.js';

/** One attempt's outcome: the grant's record to report, or how long to wait before the next. */
export type Attempt<G> = { readonly grant: G } | { readonly waitMs: number };

/**
 * Runs this process as a hammering worker over a store `open` builds on the connected client:
 * `open` returns the attempt one caller makes for `tokens` tokens.
 */
export async function runHammeringWorker<G>(open: (client: Redis, prefix: string) => (tokens: number) => Promise<Attempt<G>>): Promise<void> {
  const [url, prefix, loopsArg, seedArg] = process.argv.slice(2);
  if (url === undefined || prefix === undefined) throw new Error('usage: worker.mjs <redisUrl> <prefix> <loops> <seed>');
  const client = new Redis(url);
  const attempt = open(client, prefix);
  await client.ping();
  const { endAt } = await readyThenWaitForGo();
  const grants: G[] = [];

  async function caller(seed: number): Promise<void> {
    let random = seed;
    const nextTokens = () => {
      random = (random * 1_103_515_245 + 12_345) % 2_147_483_648;
      return 5 + (random % 6);
    };
    let tokens = nextTokens();
    while (Date.now() < endAt) {
      const outcome = await attempt(tokens);
      if ('grant' in outcome) {
        grants.push(outcome.grant);
        tokens = nextTokens();
      } else {
        await new Promise((resolve) => setTimeout(resolve, Math.min(outcome.waitMs, Math.max(0, endAt - Date.now()))));
      }
    }
  }

  const seed = Number(seedArg ?? 1);
  await Promise.all(Array.from({ length: Number(loopsArg ?? 1) }, (_, i) => caller(seed * 1000 + i)));
  process.stdout.write(`done ${JSON.stringify(grants)}\n`);
  await client.quit();
}
