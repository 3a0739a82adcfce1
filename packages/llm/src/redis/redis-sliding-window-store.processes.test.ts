import { describe, expect, it } from 'vitest';
import type { WindowLimit } from '../middleware/sliding-window.js';
import { reachableRedisUrl } from './test-support/redis-test-server.js';
import { SHARED_WINDOWS } from './test-support/shared-windows.js';
import { workerFleet } from './test-support/worker-fleet.js';

const url = await reachableRedisUrl('the multi-process RedisSlidingWindowStore test is');
const PROCESSES = 4;
const CALLERS_PER_PROCESS = 2;
const RUN_MS = 3_000;

/** One grant: the store's time for it and the tokens it took (1 request each). */
interface Grant {
  at: number;
  tokens: number;
}

/** The largest sum of `amount` over any half-open window [t, t + windowMs): a window's worst case starts at a grant. */
function maxInAnyWindow(sorted: readonly Grant[], amount: (g: Grant) => number, windowMs: number): number {
  let best = 0;
  let sum = 0;
  let hi = 0;
  for (let lo = 0; lo < sorted.length; lo++) {
    while (hi < sorted.length && sorted[hi]!.at < sorted[lo]!.at + windowMs) sum += amount(sorted[hi++]!);
    best = Math.max(best, sum);
    sum -= amount(sorted[lo]!);
  }
  return best;
}

/**
 * The smallest sum over the windows that start a window after the first grant and end by the last
 * (steps of 1/20 window). Reported, not asserted: a window that starts just after a bunch of
 * admissions misses every one whose successor came late, so on a loaded machine it dips by the
 * bunch's density times the processes' wake-up lag.
 */
function minInSteadyWindow(sorted: readonly Grant[], amount: (g: Grant) => number, limit: WindowLimit): number {
  let worst = Number.POSITIVE_INFINITY;
  const last = sorted.at(-1)!.at;
  for (let start = sorted[0]!.at + limit.windowMs; start + limit.windowMs <= last; start += limit.windowMs / 20) {
    let sum = 0;
    for (const g of sorted) if (g.at >= start && g.at < start + limit.windowMs) sum += amount(g);
    worst = Math.min(worst, sum);
  }
  return worst;
}

/** The sums over back-to-back windows from the first grant, as many as fit before `endAt`. */
function tiledWindows(sorted: readonly Grant[], amount: (g: Grant) => number, limit: WindowLimit, endAt: number): number[] {
  const first = sorted[0]!.at;
  const sums: number[] = [];
  for (let start = first; start + limit.windowMs <= endAt; start += limit.windowMs) {
    sums.push(sorted.filter((g) => g.at >= start && g.at < start + limit.windowMs).reduce((sum, g) => sum + amount(g), 0));
  }
  return sums;
}

describe.skipIf(url === undefined)('RedisSlidingWindowStore shared by processes', () => {
  const fleet = workerFleet<[number, number]>(url!, new URL('./test-support/sliding-window-worker.ts', import.meta.url), 'rlw-processes');

  it(`keeps ${PROCESSES} processes hammering one limit within it in every window, and uses at least 95% of it`, async () => {
    const run = await fleet.run({ processes: PROCESSES, callers: CALLERS_PER_PROCESS, runMs: RUN_MS });
    const grants: Grant[] = run.grants
      .flat()
      .map(([at, tokens]) => ({ at, tokens }))
      .sort((a, b) => a.at - b.at);
    const { requests, tokens } = SHARED_WINDOWS;
    const maxTokens = maxInAnyWindow(grants, (g) => g.tokens, tokens.windowMs);
    const maxRequests = maxInAnyWindow(grants, () => 1, requests.windowMs);
    const steadyRequests = minInSteadyWindow(grants, () => 1, requests);
    // The first grant came at about startAt, so RUN_MS holds this many whole windows from it.
    const tiled = tiledWindows(grants, () => 1, requests, grants[0]!.at + RUN_MS);
    console.info(
      `${PROCESSES} processes: ${grants.length} calls in ${RUN_MS} ms; any ${tokens.windowMs} ms window held at most ${maxTokens} of ${tokens.max} tokens ` +
        `and ${maxRequests} of ${requests.max} calls; back-to-back windows ${tiled.join(', ')} calls; ` +
        `sliding windows after the first at least ${steadyRequests} calls (${((steadyRequests / requests.max) * 100).toFixed(1)}%)`,
    );

    // Never more than the limit in any window, the first included, across all processes: an
    // exact check, on the very times the store used.
    expect(maxTokens).toBeLessThanOrEqual(tokens.max);
    expect(maxRequests).toBeLessThanOrEqual(requests.max);
    // With demand far above it, nearly all of it: every window back to back from the first
    // admission (a store that answered waits too long, or lost admissions, falls short).
    expect(tiled.length).toBe(RUN_MS / requests.windowMs);
    for (const sum of tiled) expect(sum).toBeGreaterThanOrEqual(0.95 * requests.max);
  }, 30_000);
});
