import { describe, expect, it } from 'vitest';
import type { BucketLimit } from '../middleware/token-bucket.js';
import { reachableRedisUrl } from './test-support/redis-test-server.js';
import { SHARED_LIMITS } from './test-support/shared-limits.js';
import { workerFleet } from './test-support/worker-fleet.js';

const url = await reachableRedisUrl('the multi-process RedisTokenBucketStore test is');
const PROCESSES = 4;
const CALLERS_PER_PROCESS = 2;
const RUN_MS = 2_000;

/** One grant, on the local clock: sent no earlier than `sentAt`, answered by `answeredAt`. */
interface Grant {
  sentAt: number;
  answeredAt: number;
  tokens: number;
}

/**
 * The token bucket's law, checked on every span the grants allow: the tokens granted inside any
 * span of Redis time never exceed capacity + refill over the span. A grant's Redis time is not
 * known exactly, only that it fell between its `sentAt` and `answeredAt` (plus the uncertainty of
 * the local clock against Redis's, `slackMs`). So for each grant `a` and each set of grants sent no
 * earlier than `a` was, answered by the time `b` was: their sum <= capacity + rate * (b.answeredAt
 * - a.sentAt + slackMs). Returns the worst excess found (<= 0 when the law holds).
 */
function worstExcess(grants: readonly Grant[], amount: (g: Grant) => number, limit: BucketLimit, slackMs: number): number {
  const bySent = [...grants].sort((x, y) => x.sentAt - y.sentAt);
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < bySent.length; i++) {
    const a = bySent[i]!;
    const later = bySent.slice(i).sort((x, y) => x.answeredAt - y.answeredAt);
    let sum = 0;
    for (const b of later) {
      sum += amount(b);
      const allowed = limit.capacity + limit.refillPerMs * (b.answeredAt - a.sentAt + slackMs);
      worst = Math.max(worst, sum - allowed);
    }
  }
  return worst;
}

describe.skipIf(url === undefined)('RedisTokenBucketStore shared by processes', () => {
  const fleet = workerFleet<[number, number, number]>(url!, new URL('./test-support/token-bucket-worker.ts', import.meta.url), 'rl-processes');

  it(`keeps ${PROCESSES} processes hammering one limit within it, and uses at least 95% of it`, async () => {
    let slackMs = 0;
    const run = await fleet.run({
      processes: PROCESSES,
      callers: CALLERS_PER_PROCESS,
      runMs: RUN_MS,
      // How well the local clock is known against Redis's: TIME ran somewhere in [before, after + 1)
      // local ms (Date.now() rounds down), so any Redis instant is placed on the local clock to
      // within (after - before + 1) ms. Plus 1 ms for the rounding of each grant's own stamps.
      beforeGo: async () => {
        const before = Date.now();
        await fleet.client().time();
        const after = Date.now();
        slackMs = after - before + 2;
      },
    });
    const grants: Grant[] = run.grants.flat().map(([sentAt, answeredAt, tokens]) => ({ sentAt, answeredAt, tokens }));
    const tokens = grants.reduce((sum, g) => sum + g.tokens, 0);
    const budget = SHARED_LIMITS.tokens.capacity + SHARED_LIMITS.tokens.refillPerMs * RUN_MS;
    console.info(
      `${PROCESSES} processes: ${grants.length} calls and ${tokens} tokens granted in ${RUN_MS} ms; budget ${budget} tokens (${((tokens / budget) * 100).toFixed(1)}%); clock slack ${slackMs} ms`,
    );

    // Never more than the limit, in any span, across all processes.
    expect(worstExcess(grants, (g) => g.tokens, SHARED_LIMITS.tokens, slackMs)).toBeLessThanOrEqual(1e-6);
    expect(worstExcess(grants, () => 1, SHARED_LIMITS.requests, slackMs)).toBeLessThanOrEqual(1e-6);
    // And, with demand far above it, nearly all of it: the tokens bucket is the one that binds.
    expect(tokens).toBeGreaterThanOrEqual(0.95 * budget);
  }, 30_000);
});
