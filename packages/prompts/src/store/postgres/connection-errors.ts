// Exported from `@kit/prompts/postgres`: @kit/conversations' PostgreSQL store classifies its
// errors with it too, and an application running its own queries beside Kit's stores can tell a
// lost connection the same way.

/**
 * How a database call failed for want of a working connection:
 * - `unreachable`: no statement reached the server (the connection was refused, the server is
 *   starting up or shutting down, it has no connection slot left, connecting timed out), so
 *   nothing was written;
 * - `lost`: the connection broke while in use (the server restarted or ended this backend, the
 *   socket was reset), so a statement in flight may or may not have committed.
 */
export type ConnectionFailure = 'unreachable' | 'lost';

/** PostgreSQL SQLSTATEs and Node socket codes, by what they say about the statement. */
const FAILURE_BY_CODE: ReadonlyMap<string, ConnectionFailure> = new Map<string, ConnectionFailure>([
  ['ECONNREFUSED', 'unreachable'],
  ['EHOSTUNREACH', 'unreachable'],
  ['ENETUNREACH', 'unreachable'],
  // A name that does not resolve for now (a database container being replaced); ENOTFOUND is
  // left out: it is far more often a wrong host name than a passing state.
  ['EAI_AGAIN', 'unreachable'],
  ['57P03', 'unreachable'], // cannot_connect_now: starting up, shutting down, in recovery
  ['53300', 'unreachable'], // too_many_connections: every slot taken, as when all clients reconnect at once
  ['08001', 'unreachable'], // sqlclient_unable_to_establish_sqlconnection
  ['08004', 'unreachable'], // sqlserver_rejected_establishment_of_sqlconnection
  ['ECONNRESET', 'lost'],
  ['EPIPE', 'lost'],
  // A socket timeout can strike mid-statement as well as while connecting: assume the worse.
  ['ETIMEDOUT', 'lost'],
  ['57P01', 'lost'], // admin_shutdown: the server was stopped or restarted, or pg_terminate_backend
  ['57P02', 'lost'], // crash_shutdown: another backend crashed and the server resets
  ['57P05', 'lost'], // idle_session_timeout
  ['08000', 'lost'], // connection_exception
  ['08003', 'lost'], // connection_does_not_exist
  ['08006', 'lost'], // connection_failure
  ['08007', 'lost'], // transaction_resolution_unknown
]);

/**
 * Messages `pg` and `pg-pool` give these failures without a code. Left out on purpose: "Connection
 * terminated" without "unexpectedly" and "Client was closed and is not queryable", which mean the
 * client or pool was ended by its owner (a closed store), not by the server.
 */
const FAILURE_BY_MESSAGE: ReadonlyArray<readonly [RegExp, ConnectionFailure]> = [
  [/timeout exceeded when trying to connect/i, 'unreachable'],
  [/connection terminated due to connection timeout/i, 'unreachable'],
  [/connection terminated unexpectedly/i, 'lost'],
  [/client has encountered a connection error and is not queryable/i, 'lost'],
];

/** How deep the `cause` chain is followed: far enough for any wrapping seen, bounded against cycles. */
const MAX_DEPTH = 8;

/**
 * Whether `error` is a lost, refused or not-yet-accepted database connection, and which of the
 * two (see {@link ConnectionFailure}); undefined for anything else (bad SQL, a constraint, a bug).
 * Looks at `code` and `message` along the `cause` chain, and into an `AggregateError`'s `errors`
 * (Node's report of a failed connection to each address a host name resolved to): `lost` if
 * any of them was lost, else `unreachable` if any was.
 */
export function classifyConnectionError(error: unknown): ConnectionFailure | undefined {
  let current = error;
  for (let depth = 0; depth < MAX_DEPTH && typeof current === 'object' && current !== null; depth++) {
    const fields = current as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
    const found = ownFailure(fields);
    if (found !== undefined) return found;
    if (Array.isArray(fields.errors) && fields.errors.length > 0) {
      const inner = fields.errors.map((each: unknown) => classifyConnectionError(each));
      if (inner.includes('lost')) return 'lost';
      if (inner.includes('unreachable')) return 'unreachable';
    }
    current = fields.cause;
  }
  return undefined;
}

function ownFailure(fields: { code?: unknown; message?: unknown }): ConnectionFailure | undefined {
  if (typeof fields.code === 'string') {
    const byCode = FAILURE_BY_CODE.get(fields.code);
    if (byCode !== undefined) return byCode;
  }
  if (typeof fields.message === 'string') {
    for (const [pattern, failure] of FAILURE_BY_MESSAGE) if (pattern.test(fields.message)) return failure;
  }
  return undefined;
}
