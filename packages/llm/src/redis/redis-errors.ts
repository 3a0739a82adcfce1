import { KitError } from '../errors/kit-error.js';

/** What a Redis-backed store was doing when it failed. */
export type RedisStoreOperation = 'take' | 'adjust' | 'level' | 'get' | 'set' | 'delete' | 'clear';

/**
 * Why a Redis-backed store failed: `command-failed` when Redis could not be reached or answered
 * with an error, `corrupt-entry` when a cached value is not an entry this store wrote.
 */
export type RedisStoreErrorReason = 'command-failed' | 'corrupt-entry';

/**
 * A Redis-backed store could not do its work. The token-bucket store fails closed: a `take` that
 * fails rejects with this error, and the `rateLimit` middleware passes it to the caller without
 * calling the model. It is not a `ProviderError`, so `retry` and `fallback` leave it alone (the
 * client has already retried as its options say, and another attempt or model would hit the same
 * Redis). The cache store's errors are a miss or a dropped write to the `cache` middleware.
 */
export class RedisStoreError extends KitError {
  /** What the store was doing. */
  readonly operation: RedisStoreOperation;
  /** Why it failed; `code` is `redis/<reason>`. */
  readonly reason: RedisStoreErrorReason;

  /** `store` names the store class; the message reads `<store>: <operation> failed: <detail>`. */
  constructor(options: { store: string; operation: RedisStoreOperation; reason: RedisStoreErrorReason; detail: string; cause?: unknown }) {
    super(`redis/${options.reason}`, `${options.store}: ${options.operation} failed: ${options.detail}`, { cause: options.cause });
    this.operation = options.operation;
    this.reason = options.reason;
  }
}

/**
 * Why `connectRedis` failed: `unreachable` when no connection could be made,
 * `unsupported-client` when the installed ioredis is older than version 5. (A missing ioredis is a
 * `MissingPeerDependencyError`, as for every optional peer.)
 */
export type RedisConnectionErrorReason = 'unreachable' | 'unsupported-client';

/** `connectRedis` could not hand back a connected client. */
export class RedisConnectionError extends KitError {
  /** Why it failed; `code` is `redis/<reason>`. */
  readonly reason: RedisConnectionErrorReason;

  /** An error of `reason` with `message`, which must not hold a password (see `redactRedisUrl`). */
  constructor(reason: RedisConnectionErrorReason, message: string, options?: { cause?: unknown }) {
    super(`redis/${reason}`, message, options);
    this.reason = reason;
  }
}

/** The message of whatever was thrown, for an error's detail. */
export function describeCause(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
