import { type Benchmark, type BenchmarkResult } from '../harness.js';
import type { RateLimitWorkerConfig } from './scale-rate-limit-worker.js';
import { rateWindows } from './scale-rate-windows.js';
import { deleteRedisKeys, ScaleChild, scaleServices, skippedRow, uniqueName } from './scale-services.js';

const NAME = 'scale.rate-limit-accuracy';
const PROCESSES = 4;
const CALLERS = 16;
const MIN_SHARE = 0.95;
/**
 * Calls per minute: large enough that one call is a small share of it (0.1%), small enough that
 * the workers keep up with the quick mode's scaled clock on a shared two-core machine (500
 * admissions a real second).
 */
const LIMIT = 1_000;
const MINUTES = 5;
/**
 * Windows after the first call before the steady ones start. The first minute's calls go through
 * at once, in parallel (nobody waits yet); from then on each process's queue re-admits them one
 * take at a time as their entries leave, so the second minute replays the first one late and
 * spread out, and windows starting in it dip. By the third minute the spread has settled.
 */
const SETTLE_WINDOWS = 2;

/**
 * `scale.rate-limit-accuracy`: four processes, 16 callers each, all wanting far more than a shared
 * limit of calls per minute allows, through the `rateLimit` middleware with
 * `algorithm: 'sliding-window'` over one Redis window. From the store's time of every admitted
 * call (the time its entry carries): the calls in every 60 s window. Budget: no window at all,
 * the first included, above the limit (exact: the times are the ones the window's arithmetic used,
 * so no allowance), and none of the steady windows (steps of 3 s, from two minutes after the
 * first call to the end: see `SETTLE_WINDOWS`) under 95% of it.
 *
 * The limiter's clock runs `timeScale` times faster than real time (a minute lasts 2 s in quick
 * mode, 15 s in full) so that several windows fit in a short run. The middleware sleeps in real
 * milliseconds, so the workers divide the store's waits by `timeScale` (rounded up to a whole
 * ms): a process then wakes up to `timeScale` limiter ms late, which with a sliding window only
 * costs throughput (the steady share), never the bound. The processes
 * share this machine's clock; when their times reach Redis out of order, the store gives a late
 * one its window's newest time instead (and reports that time), so the bound holds on the
 * reported times exactly.
 */
export const scaleRateLimitAccuracyBenchmark: Benchmark = {
  name: NAME,
  async run({ quick }): Promise<BenchmarkResult[]> {
    const budget = `every 60 s window <= limit; steady windows >= ${MIN_SHARE} x limit`;
    const services = await scaleServices();
    if (typeof services === 'string') return [skippedRow(NAME, 'calls', budget, services)];
    const limit = LIMIT;
    const minutes = MINUTES;
    const timeScale = quick ? 30 : 4;
    const redisPrefix = `kit:bench:${uniqueName('accuracy')}:`;
    const config: RateLimitWorkerConfig = {
      redisUrl: services.redisUrl,
      redisPrefix,
      requestsPerMinute: limit,
      timeScale,
      clockOrigin: Date.now(),
      durationMs: minutes * 60_000,
      callers: CALLERS,
    };
    const children = Array.from({ length: PROCESSES }, () => new ScaleChild<{ admitted: number[] }>('./scale-rate-limit-worker.js', config));
    try {
      await Promise.all(children.map((child) => child.ready()));
      for (const child of children) child.go();
      const results = await Promise.all(children.map((child) => child.result()));
      const windows = rateWindows(
        results.flatMap((r) => r.admitted),
        60_000,
        SETTLE_WINDOWS,
      );
      const pass = windows.maxInAnyWindow <= limit && windows.steadyMin >= MIN_SHARE * limit;
      return [
        {
          name: NAME,
          value: windows.maxInAnyWindow,
          unit: 'calls',
          baseline: limit,
          ratio: windows.maxInAnyWindow / limit,
          budget,
          pass,
          note:
            `sliding window, limit ${limit}/min shared by ${PROCESSES} processes x ${CALLERS} callers, limiter clock x${timeScale} (${minutes} limiter minutes); ` +
            `${windows.admitted} calls; most in any 60 s window ${windows.maxInAnyWindow} (first window ${windows.firstWindow}); ` +
            `${windows.steadyWindows} steady windows held ${windows.steadyMin}..${windows.steadyMax} calls (${((windows.steadyMin / limit) * 100).toFixed(1)}%..${((windows.steadyMax / limit) * 100).toFixed(1)}%)`,
        },
      ];
    } finally {
      for (const child of children) child.kill();
      await deleteRedisKeys(services.redisUrl, redisPrefix).catch(() => undefined);
    }
  },
};
