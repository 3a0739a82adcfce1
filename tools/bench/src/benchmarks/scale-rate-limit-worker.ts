/**
 * A child process of `scale.rate-limit-accuracy`: callers that want far more than the shared
 * limit allows. Reads its config (JSON) from argv, prints `ready`, waits for a line on stdin, then
 * for `durationMs` of the limiter's clock sends calls through the `rateLimit` middleware
 * (`algorithm: 'sliding-window'`) over the shared Redis window and prints, as one JSON line, the
 * time of every admitted call: the time the store gave its entry (`admission.at`: the caller's
 * limiter clock, or the window's newest entry when another process's later time got there first),
 * which is the very time the window's arithmetic used (a log written after the call would add
 * this process's event-loop lag).
 */
import { performance } from 'node:perf_hooks';
import { rateLimit, wrapModel, type SlidingWindowStore } from '@kit/llm';
import { RedisSlidingWindowStore } from '@kit/llm/redis';
import { scriptedModel } from '@kit/llm/testing';
import { Redis } from 'ioredis';
import { waitForGo } from './scale-services.js';

export interface RateLimitWorkerConfig {
  redisUrl: string;
  redisPrefix: string;
  requestsPerMinute: number;
  /** How much faster than real time the limiter's clock runs. */
  timeScale: number;
  /** Real time (ms) at which every worker's limiter clock starts. */
  clockOrigin: number;
  /** How long to keep calling, on the limiter's clock. */
  durationMs: number;
  callers: number;
}

const config = JSON.parse(process.argv[2]!) as RateLimitWorkerConfig;
const now = () => config.clockOrigin + (performance.timeOrigin + performance.now() - config.clockOrigin) * config.timeScale;
const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
const admitted: number[] = [];
const windows = new RedisSlidingWindowStore({ client: redis, prefix: config.redisPrefix, clock: 'caller' });
// Records each admission (of single and batched takes), and turns a refusal's wait (limiter ms)
// into the real ms the middleware will sleep: a sliding window's wait runs up to a whole window, which slept unscaled would idle
// the callers for `timeScale` windows.
const recording: SlidingWindowStore = {
  kind: 'sliding-window',
  async take(draws, at) {
    const taken = await windows.take(draws, at);
    if (taken.granted) {
      admitted.push(taken.admission.at);
      return taken;
    }
    return { granted: false, waitMs: Math.max(1, Math.ceil(taken.waitMs / config.timeScale)) };
  },
  async takeBatch(sets, at) {
    const taken = await windows.takeBatch(sets, at);
    for (const admission of taken.admissions) admitted.push(admission.at);
    return taken.waitMs === 0 ? taken : { admissions: taken.admissions, waitMs: Math.max(1, Math.ceil(taken.waitMs / config.timeScale)) };
  },
  adjust: (key, delta, limit, at, admission) => windows.adjust(key, delta, limit, at, admission),
};
const model = wrapModel(scriptedModel(['ok'], { loop: true, recordRequests: false }), [
  rateLimit({
    requestsPerMinute: config.requestsPerMinute,
    algorithm: 'sliding-window',
    store: recording,
    key: 'accuracy',
    now,
    maxWaitMs: Number.POSITIVE_INFINITY,
  }),
]);
await redis.ping();
console.log('ready');
await waitForGo();
const end = now() + config.durationMs;
const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
await Promise.all(
  Array.from({ length: config.callers }, async () => {
    while (now() < end) await model.complete(request);
  }),
);
redis.disconnect();
// Full precision: a rounded time could cross a window's edge and fake an excess.
console.log(JSON.stringify({ admitted }));
