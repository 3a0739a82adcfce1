/**
 * Node socket codes of a connection that was lost, refused or timed out, for errors that reach
 * the load test without a Kit label. Kit's PostgreSQL stores label theirs (the FSM runtime fails
 * as `FsmSessionError('unavailable')`, `retryable`), so what is left is Redis: the rate limit's
 * `RedisStoreError` (no `retryable` flag) wrapping an ioredis error, and the load test's own
 * `RPUSH` of admissions, which fails with the bare ioredis error.
 */
const UNLABELLED_TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/** What ioredis says, without a code, of a connection it lost or gave up retrying. */
const UNLABELLED_TRANSIENT_MESSAGES = [/connection is closed/i, /reached the max retries per request limit/i];

/** How deep the `cause` chain is followed: far enough for any wrapping seen, bounded against cycles. */
const MAX_DEPTH = 8;

/**
 * Whether running the same call again may succeed. Kit's label decides first: the outermost
 * error on the `cause` chain with a boolean `retryable` (a conflict between processes, a store
 * that could not be reached, a rate-limit wait too long are `true`). The outermost, not any:
 * `FsmSessionError('exists')` (not retryable) carries the store's retryable `conflict` as its
 * cause. Only a chain with no label at all falls back to the raw codes of a lost or refused
 * connection (see {@link UNLABELLED_TRANSIENT_CODES}), looked for along the chain and inside an
 * `AggregateError`.
 */
export function isRetryableError(error: unknown): boolean {
  const label = kitLabel(error);
  return label ?? isUnlabelledTransient(error);
}

function kitLabel(error: unknown): boolean | undefined {
  let current = error;
  for (let depth = 0; depth < MAX_DEPTH && typeof current === 'object' && current !== null; depth++) {
    const { retryable, cause } = current as { retryable?: unknown; cause?: unknown };
    if (typeof retryable === 'boolean') return retryable;
    current = cause;
  }
  return undefined;
}

function isUnlabelledTransient(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < MAX_DEPTH && typeof current === 'object' && current !== null; depth++) {
    const fields = current as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof fields.code === 'string' && UNLABELLED_TRANSIENT_CODES.has(fields.code)) return true;
    if (typeof fields.message === 'string' && UNLABELLED_TRANSIENT_MESSAGES.some((pattern) => pattern.test(fields.message as string))) return true;
    // Node reports a refused connection to several addresses as an AggregateError.
    if (Array.isArray(fields.errors) && fields.errors.some((inner) => isUnlabelledTransient(inner))) return true;
    current = fields.cause;
  }
  return false;
}
