import type { Redis } from 'ioredis';
import type { BucketDraw, BucketLimit, TakeResult, TokenBucketStore } from '../middleware/token-bucket.js';
import { ADJUST_SCRIPT, LEVEL_SCRIPT, TAKE_SCRIPT } from './token-bucket-scripts.js';
import { checkLimiterAmount, limiterClockArg, limiterRedisKey, runLimiterScript, unexpectedScriptReply } from './redis-limiter-support.js';

/** Options of {@link RedisTokenBucketStore}: the client, the key prefix and whose clock refills the buckets. */
export interface RedisTokenBucketStoreOptions {
  /** An ioredis client; the store never connects or quits it. */
  client: Redis;
  /** Put before every bucket's key. Default `'kit:rl:'`. */
  prefix?: string;
  /**
   * Whose clock refills the buckets. `'redis'` (the default): Redis `TIME`, read inside the
   * script, so processes on machines with skewed clocks agree. `'caller'`: the `now` each call
   * passes (the `rateLimit` middleware's `now` option), for fake clocks in tests, or when every
   * process is known to share one clock.
   */
  clock?: 'redis' | 'caller';
}

const STORE = 'RedisTokenBucketStore';
const GRANTED: TakeResult = Object.freeze({ granted: true, waitMs: 0 });

function checkLimit(limit: BucketLimit, where: string): void {
  if (!(limit.capacity > 0 && Number.isFinite(limit.capacity)) || !(limit.refillPerMs > 0 && Number.isFinite(limit.refillPerMs))) {
    throw new RangeError(`${STORE}: ${where}: capacity and refillPerMs must be positive finite numbers`);
  }
}

/**
 * Token buckets in Redis, shared by every process that uses the same Redis and prefix: the
 * `rateLimit` middleware in each process then keeps one limit between them all.
 *
 * - `take` is one Lua script over all of its draws' buckets: refill each by the time elapsed,
 *   check all, take from all or from none. Scripts run atomically, so concurrent takes from any
 *   number of processes never hand out more than the buckets hold.
 * - Levels are kept as exact doubles (fractional amounts and refill rates work as in the memory
 *   store). A full bucket is deleted, and every other bucket expires once it would have refilled
 *   (plus a margin), so idle buckets leave nothing behind.
 * - Keys are `prefix + '{' + limiterKey + '}' + rest`, where `limiterKey` is the bucket key up to
 *   its last `:` (the `rateLimit` middleware names its buckets `<key>:requests` and
 *   `<key>:tokens`). The braces are a hash tag: on Redis Cluster, the buckets of one limiter key
 *   share a slot, as a multi-key script requires. Draws from different limiter keys in one `take`
 *   work on a single Redis, not on a cluster.
 * - Fails closed: when Redis cannot be reached or the script fails, `take` rejects with a
 *   {@link RedisStoreError}, and the `rateLimit` middleware fails the call with it instead of
 *   admitting it. How long that takes is the client's business: ioredis by default queues commands
 *   while it reconnects and fails them after 20 retries; set `maxRetriesPerRequest` (and
 *   `commandTimeout`) on the client to fail sooner.
 */
export class RedisTokenBucketStore implements TokenBucketStore {
  private readonly client: Redis;
  private readonly prefix: string;
  private readonly useRedisClock: boolean;

  /** A store over `options.client`; it neither connects nor quits the client. */
  constructor(options: RedisTokenBucketStoreOptions) {
    this.client = options.client;
    this.prefix = options.prefix ?? 'kit:rl:';
    const clock = options.clock ?? 'redis';
    if (clock !== 'redis' && clock !== 'caller') throw new RangeError(`${STORE}: clock must be 'redis' or 'caller'`);
    this.useRedisClock = clock === 'redis';
  }

  /** The Redis key of the bucket `key`. */
  redisKey(key: string): string {
    return limiterRedisKey(this.prefix, key);
  }

  /**
   * Takes every draw's amount from its bucket, or none of them and says how long until all could
   * give: one script, atomic across processes. `now` is used only with `clock: 'caller'`. Rejects
   * with a {@link RedisStoreError} when Redis fails (nothing is then admitted), and with a
   * `RangeError` for an amount or limit that is not a finite positive number.
   */
  async take(draws: readonly BucketDraw[], now: number): Promise<TakeResult> {
    if (draws.length === 0) return GRANTED;
    const keys: string[] = [];
    const args: Array<string | number> = [limiterClockArg(STORE, this.useRedisClock, now, 'take')];
    for (const draw of draws) {
      checkLimit(draw.limit, 'take');
      checkLimiterAmount(STORE, draw.amount, 'take', false);
      keys.push(this.redisKey(draw.key));
      args.push(draw.amount, draw.limit.capacity, draw.limit.refillPerMs);
    }
    const reply = await runLimiterScript(STORE, this.client, TAKE_SCRIPT, keys, args, 'take');
    if (!Array.isArray(reply) || reply.length !== 2) throw unexpectedScriptReply(STORE, 'take', reply);
    if (reply[0] === 1) return GRANTED;
    const waitMs = Number(reply[1]);
    if (!(waitMs > 0)) throw unexpectedScriptReply(STORE, 'take', reply);
    return { granted: false, waitMs };
  }

  /**
   * Charges (`delta > 0`) or refunds (`delta < 0`) the bucket `key` after the fact, in one script:
   * it may go into debt, never above capacity. `now` is used only with `clock: 'caller'`.
   */
  async adjust(key: string, delta: number, limit: BucketLimit, now: number): Promise<void> {
    checkLimit(limit, 'adjust');
    checkLimiterAmount(STORE, delta, 'adjust', true);
    await runLimiterScript(STORE, this.client, ADJUST_SCRIPT, [this.redisKey(key)], [limiterClockArg(STORE, this.useRedisClock, now, 'adjust'), delta, limit.capacity, limit.refillPerMs], 'adjust');
  }

  /**
   * What the bucket `key` holds at `now` (on the store's clock: Redis `TIME` unless `clock` is
   * `'caller'`), full when never used or long idle; for tests and diagnostics.
   */
  async level(key: string, limit: BucketLimit, now: number = Date.now()): Promise<number> {
    checkLimit(limit, 'level');
    const reply = await runLimiterScript(STORE, this.client, LEVEL_SCRIPT, [this.redisKey(key)], [limiterClockArg(STORE, this.useRedisClock, now, 'level'), limit.capacity, limit.refillPerMs], 'level');
    const level = Number(reply);
    if (typeof reply !== 'string' || Number.isNaN(level)) throw unexpectedScriptReply(STORE, 'level', reply);
    return level;
  }
}
