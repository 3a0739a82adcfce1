/**
 * The scale-out load test: N worker processes, one PostgreSQL, one Redis. See README.md.
 * `node dist/main.js [--quick] [options]`; exits 1 when any check fails.
 */
import { parseArgs } from 'node:util';
import { runLoadTest, type LoadTestOptions } from './load-test.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    workers: { type: 'string' },
    conversations: { type: 'string' },
    turns: { type: 'string' },
    concurrency: { type: 'string' },
    rpm: { type: 'string' },
    'limiter-minute-s': { type: 'string' },
    'conflict-retries': { type: 'string' },
    seed: { type: 'string' },
    // Node 20's parseArgs has no --no-<flag> form: both spellings are declared.
    faults: { type: 'boolean' },
    'no-faults': { type: 'boolean' },
    scaling: { type: 'string' },
    'scaling-conversations': { type: 'string' },
    'seed-messages': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`Usage: npm run load-test -w @kit/load-test -- [--quick] [options]

Needs KIT_PG_URL and KIT_REDIS_URL; the database-restart fault also needs PostgreSQL's server
binaries (initdb, pg_ctl: /usr/lib/postgresql/*/bin or KIT_PG_BIN).

  --quick                    CI's short mode: 2 workers x 60 conversations, both faults, limiter minute of 3 s
  --workers N                worker processes (default 8)
  --conversations M          conversations (default 2000)
  --turns T                  user turns per conversation (default 5)
  --concurrency C            conversations in flight per worker (default 16)
  --rpm L                    the shared rate limit, model calls per (limiter) minute (default 3000; quick 180)
  --limiter-minute-s S       how long the limiter's minute lasts in real seconds (default 60; quick 3)
  --conflict-retries R       the runtime's conflictRetries (default 1)
  --seed S                   the plan's and the latencies' seed (default 1)
  --faults / --no-faults     run the worker-kill and database-restart phases (default on)
  --scaling 1,2,4,8          also measure turns/s at these worker counts (full mode default 1,2,4,8)
  --scaling-conversations M  conversations per scaling run (default 400)
  --seed-messages N          also seed N messages and time append/list/load with EXPLAIN (e.g. 1000000);
                             fails when a hot path reads a whole table or its median passes 25 ms`);
  process.exit(0);
}

function integer(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) {
    console.error(`--${name} must be a whole number of at least ${min}, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return parsed;
}

const seconds = values['limiter-minute-s'] === undefined ? undefined : Number(values['limiter-minute-s']);
if (seconds !== undefined && !(seconds > 0 && seconds <= 60)) {
  console.error(`--limiter-minute-s must be more than 0 and at most 60, got ${values['limiter-minute-s']}`);
  process.exit(2);
}
const scaling = values.scaling?.split(',').map((n) => integer('scaling', n.trim(), 1)!);

const options: LoadTestOptions = {
  quick: values.quick,
  workers: integer('workers', values.workers, 1),
  conversations: integer('conversations', values.conversations, 1),
  turns: integer('turns', values.turns, 1),
  concurrencyPerWorker: integer('concurrency', values.concurrency, 1),
  requestsPerMinute: integer('rpm', values.rpm, 1),
  limiterMinuteSeconds: seconds,
  conflictRetries: integer('conflict-retries', values['conflict-retries'], 0),
  seed: integer('seed', values.seed, 0),
  faults: values['no-faults'] === true ? false : values.faults,
  scaling,
  scalingConversations: integer('scaling-conversations', values['scaling-conversations'], 1),
  seedMessages: integer('seed-messages', values['seed-messages'], 0),
};

const passed = await runLoadTest(options, (line) => console.log(line));
process.exitCode = passed ? 0 : 1;
