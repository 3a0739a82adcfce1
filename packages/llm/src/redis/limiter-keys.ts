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
