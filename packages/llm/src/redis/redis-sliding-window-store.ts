import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { checkBatchShape, type SlidingWindowStore, type WindowAdmission, type WindowBatchResult, type WindowDraw, type WindowLimit, type WindowTakeResult } from '../middleware/sliding-window.js';
import { ADJUST_SCRIPT, TAKE_BATCH_SCRIPT, TAKE_SCRIPT, USAGE_SCRIPT } from './sliding-window-scripts.js';
import { checkLimiterAmount, limiterClockArg, limiterRedisKey, runLimiterScript, unexpectedScriptReply } from './redis-limiter-support.js';

/** Options of {@link RedisSlidingWindowStore}: the client, the key prefix and whose clock times the entries. */
export interface RedisSlidingWindowStoreOptions {
  /** An ioredis client; the store never connects or quits it. */
  client: Redis;
  /** Put before every window's keys. Default `'kit:rlw:'`. */
  prefix?: string;
  /**
   * Whose clock times the entries. `'redis'` (the default): Redis `TIME`, read inside the script,
   * so processes on machines with skewed clocks agree. `'caller'`: the `now` each call passes (the
   * `rateLimit` middleware's `now` option), for fake clocks in tests, or when every process is
   * known to share one clock. Either way the store's time never goes below a window's newest
   * entry, so the guarantee holds even when callers' times arrive out of order.
   */
  clock?: 'redis' | 'caller';
}

const STORE = 'RedisSlidingWindowStore';

function checkLimit(limit: WindowLimit, where: string): void {
  if (!(limit.max > 0 && Number.isFinite(limit.max)) || !(limit.windowMs > 0 && Number.isFinite(limit.windowMs))) {
    throw new RangeError(`${STORE}: ${where}: max and windowMs must be positive finite numbers`);
  }
}

/**
 * Sliding-window logs in Redis, shared by every process that uses the same Redis and prefix: the
 * `rateLimit` middleware (`algorithm: 'sliding-window'`) in each process then keeps one strict
 * limit between them all: the amounts admitted in any window never exceed `max`.
 *
 * - `take` is one Lua script over all of its draws' windows: drop the entries that left each
 *   window, check all, admit into all or into none. Scripts run atomically, so concurrent takes
 *   from any number of processes never admit more than a window allows.
 * - Each window is a ZSET of entry ids scored by time and a HASH of their amounts with a running
 *   sum, so a take costs O(log n) plus the entries it drops (a refused one also reads the few
 *   oldest entries that must leave). Amounts and times are exact doubles. Both keys expire a
 *   window (plus a margin) after the last admission, so idle tenants leave nothing behind.
 * - Keys are `prefix + '{' + limiterKey + '}' + rest` (`:log` and `:meta` appended), where
 *   `limiterKey` is the draw key up to its last `:`, as in `RedisTokenBucketStore`: on Redis
 *   Cluster, one limiter key's windows share a slot, as a multi-key script requires.
 * - Fails closed: when Redis cannot be reached or the script fails, `take` rejects with a
 *   {@link RedisStoreError}, and the `rateLimit` middleware fails the call with it instead of
 *   admitting it (see `RedisTokenBucketStore` for the client options that bound how long that takes).
 */
export class RedisSlidingWindowStore implements SlidingWindowStore {
  readonly kind = 'sliding-window';
  private readonly client: Redis;
  private readonly prefix: string;
  private readonly useRedisClock: boolean;
  /** Entry ids are this store's random tag and a counter: unique across processes without a round trip. */
  private readonly idTag = randomBytes(8).toString('hex');
  private nextId = 0;

  /** A store over `options.client`; it neither connects nor quits the client. */
  constructor(options: RedisSlidingWindowStoreOptions) {
    this.client = options.client;
    this.prefix = options.prefix ?? 'kit:rlw:';
    const clock = options.clock ?? 'redis';
    if (clock !== 'redis' && clock !== 'caller') throw new RangeError(`${STORE}: clock must be 'redis' or 'caller'`);
    this.useRedisClock = clock === 'redis';
  }

  /** The Redis keys of the window `key`: its log (ZSET) and its meta (HASH). */
  redisKeys(key: string): [log: string, meta: string] {
    const base = limiterRedisKey(this.prefix, key);
    return [`${base}:log`, `${base}:meta`];
  }

  /**
   * Admits every draw into its window, or none of them and says how long until all could: one
   * script, atomic across processes. `now` is used only with `clock: 'caller'`. Rejects with a
   * {@link RedisStoreError} when Redis fails (nothing is then admitted), and with a `RangeError`
   * for an amount or limit that is not a finite positive number, or a key named twice.
   */
  async take(draws: readonly WindowDraw[], now: number): Promise<WindowTakeResult> {
    const id = this.freshId();
    const keys: string[] = [];
    const args: Array<string | number> = [limiterClockArg(STORE, this.useRedisClock, now, 'take'), id];
    const seen = new Set<string>();
    for (const draw of draws) {
      checkLimit(draw.limit, 'take');
      checkLimiterAmount(STORE, draw.amount, 'take', false);
      if (seen.has(draw.key)) throw new RangeError(`${STORE}: take: the key ${JSON.stringify(draw.key)} appears twice`);
      seen.add(draw.key);
      keys.push(...this.redisKeys(draw.key));
      args.push(draw.amount, draw.limit.max, draw.limit.windowMs);
    }
    const reply = await runLimiterScript(STORE, this.client, TAKE_SCRIPT, keys, args, 'take');
    if (!Array.isArray(reply) || reply.length !== 2) throw unexpectedScriptReply(STORE, 'take', reply);
    const value = Number(reply[1]);
    if (typeof reply[1] !== 'string' || !Number.isFinite(value)) throw unexpectedScriptReply(STORE, 'take', reply);
    if (reply[0] === 1) return { granted: true, waitMs: 0, admission: { at: value, id } };
    if (!(value > 0)) throw unexpectedScriptReply(STORE, 'take', reply);
    return { granted: false, waitMs: value };
  }

  /**
   * Admits the draw sets in order, each into all its windows or none, stopping at the first that
   * does not fit: one script, so one round trip serves a whole queue. Every set names the same
   * keys with the same limits in the same order (a `RangeError` otherwise). Rejects as `take` does.
   */
  async takeBatch(sets: ReadonlyArray<readonly WindowDraw[]>, now: number): Promise<WindowBatchResult> {
    const first = sets[0];
    if (first === undefined) return { admissions: [], waitMs: 0 };
    checkBatchShape(sets, STORE);
    const keys: string[] = [];
    const args: Array<string | number> = [limiterClockArg(STORE, this.useRedisClock, now, 'take'), sets.length];
    const seen = new Set<string>();
    for (const draw of first) {
      checkLimit(draw.limit, 'takeBatch');
      if (seen.has(draw.key)) throw new RangeError(`${STORE}: takeBatch: the key ${JSON.stringify(draw.key)} appears twice`);
      seen.add(draw.key);
      keys.push(...this.redisKeys(draw.key));
      args.push(draw.limit.max, draw.limit.windowMs);
    }
    const ids: string[] = [];
    for (const set of sets) {
      const id = this.freshId();
      ids.push(id);
      args.push(id);
      for (const draw of set) {
        checkLimiterAmount(STORE, draw.amount, 'takeBatch', false);
        args.push(draw.amount);
      }
    }
    const reply = await runLimiterScript(STORE, this.client, TAKE_BATCH_SCRIPT, keys, args, 'take');
    if (!Array.isArray(reply) || reply.length !== 3) throw unexpectedScriptReply(STORE, 'take', reply);
    const [admitted, atText, waitText] = reply as unknown[];
    const at = Number(atText);
    const waitMs = Number(waitText);
    if (
      typeof admitted !== 'number' ||
      !Number.isInteger(admitted) ||
      admitted < 0 ||
      admitted > sets.length ||
      typeof atText !== 'string' ||
      !Number.isFinite(at) ||
      typeof waitText !== 'string' ||
      !(admitted === sets.length ? waitMs === 0 : waitMs >= 1)
    ) {
      throw unexpectedScriptReply(STORE, 'take', reply);
    }
    return { admissions: ids.slice(0, admitted).map((id) => ({ at, id })), waitMs };
  }

  /**
   * Refunds (`delta < 0`) from the admission's own entry, or charges (`delta > 0`) a new entry at
   * the store's time, in one script. `now` is used only with `clock: 'caller'`.
   */
  async adjust(key: string, delta: number, limit: WindowLimit, now: number, admission: WindowAdmission): Promise<void> {
    checkLimit(limit, 'adjust');
    checkLimiterAmount(STORE, delta, 'adjust', true);
    if (delta === 0) return;
    const args = [limiterClockArg(STORE, this.useRedisClock, now, 'adjust'), delta, limit.windowMs, String(admission.id), this.freshId()];
    await runLimiterScript(STORE, this.client, ADJUST_SCRIPT, this.redisKeys(key), args, 'adjust');
  }

  /**
   * What the window of `key` holds at `now` (on the store's clock: Redis `TIME` unless `clock` is
   * `'caller'`), summed; 0 when never used or long idle. For tests and diagnostics.
   */
  async usage(key: string, limit: WindowLimit, now: number = Date.now()): Promise<number> {
    checkLimit(limit, 'usage');
    const reply = await runLimiterScript(STORE, this.client, USAGE_SCRIPT, this.redisKeys(key), [limiterClockArg(STORE, this.useRedisClock, now, 'level'), limit.windowMs], 'level');
    const sum = Number(reply);
    if (typeof reply !== 'string' || Number.isNaN(sum)) throw unexpectedScriptReply(STORE, 'level', reply);
    return sum;
  }

  private freshId(): string {
    return `${this.idTag}.${(this.nextId++).toString(36)}`;
  }
}
