/**
 * `@kit/llm/redis`: Redis-backed stores for the `rateLimit` and `cache` middleware, so that
 * every process of an application shares one rate limit and one response cache. The in-memory
 * stores stay the default; these take an ioredis client you create (or {@link connectRedis}
 * creates), and nothing here imports ioredis until `connectRedis` is called.
 * @packageDocumentation
 */
export { RedisTokenBucketStore, type RedisTokenBucketStoreOptions } from './redis-token-bucket-store.js';
export { RedisSlidingWindowStore, type RedisSlidingWindowStoreOptions } from './redis-sliding-window-store.js';
export { RedisCacheStore, type RedisCacheStoreOptions } from './redis-cache-store.js';
export { connectRedis, redisUrlFromEnvironment, DEFAULT_REDIS_URL } from './connect-redis.js';
export {
  RedisStoreError,
  RedisConnectionError,
  type RedisStoreOperation,
  type RedisStoreErrorReason,
  type RedisConnectionErrorReason,
} from './redis-errors.js';
