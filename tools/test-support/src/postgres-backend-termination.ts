import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A pool whose connections carry a unique `application_name`, so a test can find its backends in
 * `pg_stat_activity` and end them. Pool errors (an ended idle connection) are ignored: the test
 * asserts on what the calls themselves report.
 */
export function namedPool(url: string, options: { Client?: typeof pg.Client; max?: number } = {}): { pool: pg.Pool; name: string } {
  const name = `kit_test_${randomBytes(4).toString('hex')}`;
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 2, application_name: name, ...(options.Client === undefined ? {} : { Client: options.Client }) });
  pool.on('error', () => undefined);
  return { pool, name };
}

/** Resolves once a backend named `name` waits on a lock (polling `pg_stat_activity`); fails after 5 s. */
export async function waitUntilBlocked(admin: pg.Client, name: string): Promise<void> {
  for (let waited = 0; ; waited += 10) {
    const blocked = await admin.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [name]);
    if (blocked.rowCount !== 0) return;
    if (waited > 5_000) throw new Error(`no backend named ${name} waited on a lock within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Runs `call` while `lock` (run by another client in an open transaction) blocks it, waits until
 * the backend named `name` waits on that lock, and ends it as a server shutdown does (57P01): the
 * call fails in flight, at a moment the test chooses rather than by a race. Returns what the call
 * threw (undefined when it succeeded).
 */
export async function terminatedWhileBlocked(
  url: string,
  name: string,
  lock: (locker: pg.Client) => Promise<unknown>,
  call: () => Promise<unknown>,
): Promise<unknown> {
  const admin = new pg.Client({ connectionString: url });
  const locker = new pg.Client({ connectionString: url });
  await admin.connect();
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await lock(locker);
    const outcome = call().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    await waitUntilBlocked(admin, name);
    const ended = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [name]);
    if (ended.rowCount === 0) throw new Error(`no backend named ${name} to end`);
    return await outcome;
  } finally {
    await locker.query('ROLLBACK').catch(() => undefined);
    await locker.end();
    await admin.end();
  }
}
