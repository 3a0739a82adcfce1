import { type Benchmark, type BenchmarkResult } from '../harness.js';
import type { RateLimitWorkerConfig } from './scale-rate-limit-worker.js';
import { rateWindows } from './scale-rate-windows.js';
import { deleteRedisKeys, ScaleChild, scaleServices, skippedRow, uniqueName } from './scale-services.js';

const NAME = 'scale.rate-limit-accuracy';
const PROCESSES = 4;
const CALLERS = 16;
const MIN_SHARE = 0.95;
/** Calls per minute: large enough that the limiter's granularity is a small share of it. */
const LIMIT = 3_000;
const MINUTES = 4;

/**
 * `scale.rate-limit-accuracy`: four processes, 16 callers each, all wanting far more than a shared
 * limit of calls per minute allows, through the `rateLimit` middleware over one Redis bucket. From
 * the limiter-clock time of every admitted call: the calls in each 60 s window (steps of 3 s),
 * from one minute after the start (when the first minute's burst is spent) to the end. Budget:
 * no window above the limit (plus the bucket's granularity, below), none under 95% of it.
 *
 * The limiter's clock runs `timeScale` times faster than real time (a minute lasts 2 s in quick
 * mode, 15 s in full) so that several windows fit in a short run. The middleware sleeps in real
 * milliseconds the wait it was given in limiter milliseconds, so a process wakes up to `timeScale`
 * calls late: that many calls gather in the bucket and may be admitted in one window on top of the
 * limit. The allowance is `1 + timeScale` calls (1 in real time). The first window, which starts
 * with a full bucket, holds up to twice the limit: the middleware allows bursts of one minute's
 * worth; its count is in the note, not in the budget.
 */
export const scaleRateLimitAccuracyBenchmark: Benchmark = {
  name: NAME,
  async run({ quick }): Promise<BenchmarkResult[]> {
    const budget = `steady 60 s windows within ${MIN_SHARE}..1 x limit`;
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
        limit,
        60_000,
      );
      const allowance = 1 + timeScale;
      const pass = windows.steadyMax <= limit + allowance && windows.steadyMin >= MIN_SHARE * limit && windows.bucketExcess <= allowance;
      return [
        {
          name: NAME,
          value: windows.steadyMax,
          unit: 'calls',
          baseline: limit,
          ratio: windows.steadyMax / limit,
          budget,
          pass,
          note:
            `limit ${limit}/min shared by ${PROCESSES} processes x ${CALLERS} callers, limiter clock x${timeScale} (${minutes} limiter minutes); ` +
            `${windows.steadyWindows} steady windows held ${windows.steadyMin}..${windows.steadyMax} calls (${((windows.steadyMin / limit) * 100).toFixed(1)}%..${((windows.steadyMax / limit) * 100).toFixed(1)}%, allowance +${allowance}); ` +
            `worst interval ${windows.bucketExcess.toFixed(1)} calls over the bucket; first window from a full bucket ${windows.firstWindow} calls (bursts of a minute's worth by design)`,
        },
      ];
    } finally {
      for (const child of children) child.kill();
      await deleteRedisKeys(services.redisUrl, redisPrefix).catch(() => undefined);
    }
  },
};
