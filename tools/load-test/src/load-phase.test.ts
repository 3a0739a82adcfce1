import { describe, expect, it } from 'vitest';
import { runPhase } from './load-phase.js';
import { postgresProblem, redisProblem, serviceUrlsFromEnvironment } from './shared-services.js';

const urls = serviceUrlsFromEnvironment();
const problems = [await postgresProblem(urls.postgresUrl), await redisProblem(urls.redisUrl)].filter((p) => p !== undefined);
if (problems.length > 0) console.warn(`⚠⚠ ${problems.join('; ')}: the load-phase test is SKIPPED ⚠⚠`);

describe.skipIf(problems.length > 0)('runPhase (worker processes from dist/: build first)', () => {
  it('drives conversations through two worker processes and finds every turn stored once, in order', async () => {
    const result = await runPhase({
      name: 'test',
      postgresUrl: urls.postgresUrl!,
      redisUrl: urls.redisUrl!,
      workers: 2,
      conversations: 12,
      turnsPerConversation: 3,
      concurrencyPerWorker: 4,
      maxConnectionsPerWorker: 3,
      requestsPerMinute: 100_000,
      timeScale: 1,
      latency: { minMs: 1, maxMs: 5 },
      seed: 3,
      conflictRetries: 1,
    });
    expect(result.problems).toEqual([]);
    expect(result.verification).toEqual({ conversations: 12, strays: 0, problems: [] });
    expect(result.turns).toBe(36);
    expect(result.stats.deliveries).toEqual({ turns: 36, second: 9, concurrent: 5, redeliver: 4 });
    expect(result.stats.replayed).toBeGreaterThanOrEqual(9);
    // Every model call (12 openings and 36 turns, plus re-runs and the losers of concurrent deliveries) was admitted and logged.
    expect(result.rateLimit.admitted).toBeGreaterThanOrEqual(48);
    expect(result.rateLimit.held).toBe(true);
  });
});
