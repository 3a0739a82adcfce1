/**
 * A child process of `scale.rate-limit-accuracy`: callers that want far more than the shared
 * limit allows. Reads its config (JSON) from argv, prints `ready`, waits for a line on stdin, then
 * for `durationMs` of the limiter's clock sends calls through the `rateLimit` middleware over the
 * shared Redis bucket and prints, as one JSON line, the time of every admitted call: the
 * limiter-clock time its granted take carried, which is the time the bucket's arithmetic used
 * (a log written after the call would add this process's event-loop lag).
 */
import { performance } from 'node:perf_hooks';
import { rateLimit, wrapModel, type TokenBucketStore } from '@kit/llm';
import { RedisTokenBucketStore } from '@kit/llm/redis';
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
const buckets = new RedisTokenBucketStore({ client: redis, prefix: config.redisPrefix, clock: 'caller' });
const recording: TokenBucketStore = {
  async take(draws, at) {
    const taken = await buckets.take(draws, at);
    if (taken.granted) admitted.push(at);
    return taken;
  },
  adjust: (key, delta, limit, at) => buckets.adjust(key, delta, limit, at),
};
const model = wrapModel(scriptedModel(['ok'], { loop: true, recordRequests: false }), [
  rateLimit({ requestsPerMinute: config.requestsPerMinute, store: recording, key: 'accuracy', now, maxWaitMs: Number.POSITIVE_INFINITY }),
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
console.log(JSON.stringify({ admitted: admitted.map((t) => Math.round(t * 10) / 10) }));
