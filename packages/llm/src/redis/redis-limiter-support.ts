import type { Redis } from 'ioredis';
import { RedisStoreError, describeCause, type RedisStoreOperation } from './redis-errors.js';
import type { RedisScript } from './redis-script.js';

/**
 * The Redis key of a limiter's `key` (`<limiter key>:<what>`, as the `rateLimit` middleware names
 * them): `prefix + '{' + limiterKey + '}' + rest`. The braces are a hash tag: on Redis Cluster,
 * every key of one limiter key lands in one slot, as a multi-key script requires.
 */
export function limiterRedisKey(prefix: string, key: string): string {
  const colon = key.lastIndexOf(':');
  return colon < 0 ? `${prefix}{${key}}` : `${prefix}{${key.slice(0, colon)}}${key.slice(colon)}`;
}

/** Throws a `RangeError` naming `store` and `where` unless `amount` is finite (and non-negative unless `allowNegative`). */
export function checkLimiterAmount(store: string, amount: number, where: string, allowNegative: boolean): void {
  if (!Number.isFinite(amount) || (!allowNegative && amount < 0)) {
    throw new RangeError(`${store}: ${where}: the amount must be a ${allowNegative ? '' : 'non-negative '}finite number`);
  }
}

/** The script's clock argument: '' to use Redis `TIME`, else the caller's `now` (checked finite). */
export function limiterClockArg(store: string, useRedisClock: boolean, now: number, operation: RedisStoreOperation): string | number {
  if (useRedisClock) return '';
  if (!Number.isFinite(now)) throw new RangeError(`${store}: ${operation}: now must be a finite number of ms with clock 'caller'`);
  return now;
}

/** Runs a limiter script; any failure is a `RedisStoreError` (a failed take admitted nothing: the stores fail closed). */
export async function runLimiterScript(
  store: string,
  client: Redis,
  script: RedisScript,
  keys: string[],
  args: Array<string | number>,
  operation: RedisStoreOperation,
): Promise<unknown> {
  try {
    return await script.run(client, keys, args);
  } catch (error) {
    const detail = operation === 'take' ? `${describeCause(error)} (failing closed: nothing was admitted)` : describeCause(error);
    throw new RedisStoreError({ store, operation, reason: 'command-failed', detail, cause: error });
  }
}

/** The error for a script reply of an unexpected shape. */
export function unexpectedScriptReply(store: string, operation: RedisStoreOperation, reply: unknown): RedisStoreError {
  return new RedisStoreError({ store, operation, reason: 'command-failed', detail: `unexpected reply from the script: ${JSON.stringify(reply)}` });
}

/**
 * The Lua both limiter stores' scripts start with: script effects replication (Redis < 5 needs
 * it for `TIME` before a write), `clock(arg)` (the caller's ms, or Redis `TIME` when arg is ''),
 * and `num(x)`, which writes a number with %.17g so that every double round-trips (Lua's own
 * conversion keeps 14 digits and would round times and fractional amounts).
 */
export const LIMITER_LUA_PRELUDE = `
if redis.replicate_commands then redis.replicate_commands() end

local function clock(arg)
  if arg ~= '' then return tonumber(arg) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end

local function num(x)
  return string.format('%.17g', x)
end
`;
