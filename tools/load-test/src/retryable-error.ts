/**
 * PostgreSQL error codes (SQLSTATE) and Node socket codes of a connection that was lost, refused
 * or is not accepting work yet: the database restarting, say. A statement that failed this way
 * may or may not have committed; the turn's idempotency key makes running it again safe.
 */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01', // admin_shutdown: the server was stopped or restarted
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

/** Messages `pg` gives a lost connection without a code. */
const TRANSIENT_MESSAGES = [/connection terminated/i, /connection error/i, /terminating connection/i, /not queryable/i, /connection is closed/i];

/**
 * Whether running the same call again may succeed: Kit errors that say so (`retryable: true`: a
 * conflict between processes, a rate-limit wait too long), and lost or refused database
 * connections, looked for along the `cause` chain.
 */
export function isRetryableError(error: unknown): boolean {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (typeof current !== 'object') return false;
    const fields = current as { retryable?: unknown; code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (fields.retryable === true) return true;
    if (typeof fields.code === 'string' && TRANSIENT_CODES.has(fields.code)) return true;
    if (typeof fields.message === 'string' && TRANSIENT_MESSAGES.some((pattern) => pattern.test(fields.message as string))) return true;
    // Node reports a refused connection to several addresses as an AggregateError.
    if (Array.isArray(fields.errors) && fields.errors.some((inner) => isRetryableError(inner))) return true;
    current = fields.cause;
  }
  return false;
}
