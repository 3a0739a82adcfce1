/**
 * One load-test worker: a process with its own FSM runtime (stateless), its own pool to the
 * shared PostgreSQL store and its own Redis client for the shared rate limit. It serves the
 * coordinator's `start` and `turn` messages concurrently and answers each with a `done`.
 * Run by the coordinator with `child_process.fork`; not meant to be started by hand.
 */
import { performance } from 'node:perf_hooks';
import { PostgresConversationStore } from '@kit/conversations/postgres';
import { createRuntime, FsmSessionError, type FsmRuntime } from '@kit/fsm';
import { rateLimit, wrapModel } from '@kit/llm';
import { RedisSlidingWindowStore } from '@kit/llm/redis';
import { Redis } from 'ioredis';
import { limiterTiming } from './limiter-timing.js';
import { recordingWindowStore } from './recording-bucket-store.js';
import { loadMachine, loadModel } from './load-machine.js';
import { isRetryableError } from './retryable-error.js';
import { seededRandom } from '@kit/llm/testing';
import { newTurnAccount, turnAccounts, type TurnAccount } from './turn-account.js';
import type { CoordinatorMessage, TurnTimings, WorkerConfig, WorkerError, WorkerMessage } from './worker-protocol.js';

interface Services {
  runtime: FsmRuntime;
  store: PostgresConversationStore;
  redis: Redis;
}

function send(message: WorkerMessage): void {
  // The coordinator may be gone (it was killed, or stopped us): nothing left to tell.
  if (process.connected) process.send!(message);
}

function describe(error: unknown): WorkerError {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; message?: unknown; code?: unknown; reason?: unknown };
  return {
    name: typeof fields.name === 'string' ? fields.name : 'Error',
    message: typeof fields.message === 'string' ? fields.message : String(error),
    code: typeof fields.code === 'string' ? fields.code : undefined,
    reason: error instanceof FsmSessionError ? error.reason : undefined,
    retryable: isRetryableError(error),
  };
}

/** The limiter's clock: real time from `clockOrigin`, sped up `timeScale` times, with sub-ms resolution. */
function limiterClock(config: WorkerConfig): () => number {
  const { clockOrigin, timeScale } = config.rateLimit;
  return () => clockOrigin + (performance.timeOrigin + performance.now() - clockOrigin) * timeScale;
}

async function connect(config: WorkerConfig): Promise<Services> {
  const store = await PostgresConversationStore.connect(config.postgresUrl, { schema: config.schema, maxConnections: config.maxConnections });
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: false });
  const now = limiterClock(config);
  const admittedKey = `${config.redisPrefix}admitted`;
  // The caller's clock (every worker runs on this machine, so they share it): the window's
  // entries then carry the very times logged here (the store's, moved up to the newest entry when
  // readings arrive out of order), and the check against the limit is exact.
  const windows = recordingWindowStore(new RedisSlidingWindowStore({ client: redis, prefix: `${config.redisPrefix}rl:`, clock: 'caller' }), {
    // Awaited before the grant is handed out (one round trip per take or batch): every call that
    // runs is in the log, so the check cannot miss an overrun. A failed write fails the call
    // instead of letting it run unrecorded; a worker killed in between loses only calls that
    // never ran.
    onGranted: async (times) => {
      await redis.rpush(admittedKey, ...times.map(String));
    },
    timeScale: config.rateLimit.timeScale,
  });
  const limiter = rateLimit({
    requestsPerMinute: config.rateLimit.requestsPerMinute,
    // Strict: no minute, the first included, admits more than the limit.
    algorithm: 'sliding-window',
    store: windows,
    key: 'load-test',
    now,
    // In the limiter's time: long enough that a call never gives up while the run is healthy.
    maxWaitMs: 600_000,
  });
  const timing = limiterTiming();
  const model = wrapModel(
    loadModel({ tag: config.tag, random: seededRandom(config.seed), minLatencyMs: config.latency.minMs, maxLatencyMs: config.latency.maxMs }),
    [timing.before, limiter, timing.after],
  );
  const runtime = createRuntime({ machine: loadMachine(config.turnsPerConversation), model, store, stateless: true, conflictRetries: config.conflictRetries });
  return { runtime, store, redis };
}

function timingsOf(account: TurnAccount, startedAt: number): TurnTimings {
  return { latencyMs: performance.now() - startedAt, modelMs: account.modelMs, scriptedMs: account.scriptedMs, modelCalls: account.modelCalls, queuedMs: account.queuedMs };
}

async function serve(services: Services, message: Extract<CoordinatorMessage, { type: 'start' | 'turn' }>): Promise<void> {
  const account = newTurnAccount();
  const startedAt = performance.now();
  try {
    const reply = await turnAccounts.run(account, async () => {
      if (message.type === 'start') {
        const started = await services.runtime.start({}, { conversationId: message.conversationId });
        return { message: started.message, state: started.state, replayed: false };
      }
      const turn = await services.runtime.converse(message.conversationId, message.text, { idempotencyKey: message.idempotencyKey });
      return { message: turn.message, state: turn.state, replayed: turn.replayed === true };
    });
    send({ type: 'done', requestId: message.requestId, ok: true, reply, timings: timingsOf(account, startedAt) });
  } catch (error) {
    send({ type: 'done', requestId: message.requestId, ok: false, error: describe(error), timings: timingsOf(account, startedAt) });
  }
}

let services: Services | undefined;
let slot = -1;

process.on('message', (raw: CoordinatorMessage) => {
  switch (raw.type) {
    case 'init':
      slot = raw.config.slot;
      connect(raw.config).then(
        (connected) => {
          services = connected;
          send({ type: 'ready', slot });
        },
        (error: unknown) => send({ type: 'init-failed', slot, error: describe(error) }),
      );
      return;
    case 'start':
    case 'turn':
      if (services === undefined) {
        const error: WorkerError = { name: 'KitError', message: 'the worker is not connected yet', retryable: true };
        send({ type: 'done', requestId: raw.requestId, ok: false, error, timings: { latencyMs: 0, modelMs: 0, scriptedMs: 0, modelCalls: 0, queuedMs: 0 } });
        return;
      }
      void serve(services, raw);
      return;
    case 'stop':
      void (async () => {
        await services?.store.close().catch(() => undefined);
        await services?.redis.quit().catch(() => undefined);
        send({ type: 'stopped', slot });
        process.disconnect();
      })();
      return;
  }
});

// Without the coordinator there is no one to serve.
process.on('disconnect', () => process.exit(0));
