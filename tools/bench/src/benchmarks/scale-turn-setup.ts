import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { PostgresConversationStore } from '@kit/conversations/postgres';
import { createRuntime, defineMachine, type FsmRuntime, type Machine } from '@kit/fsm';
import { rateLimit, wrapModel, type LanguageModelMiddleware } from '@kit/llm';
import { RedisTokenBucketStore } from '@kit/llm/redis';
import { scriptedModel, seededRandom } from '@kit/llm/testing';
import { Redis } from 'ioredis';

/** User turns per conversation in the scale benchmarks. */
export const SCALE_TURNS = 5;
/** The scripted model's latency, uniform in this range (ms). */
export const SCALE_LATENCY = { minMs: 5, maxMs: 50 } as const;

/** A machine with a state per turn: `t0` ... `t5` (terminal). */
export function scaleMachine(): Machine {
  const states: Record<string, { purpose: string; transitions?: Array<{ target_state: string; description: string }> }> = {};
  for (let t = 0; t < SCALE_TURNS; t++) states[`t${t}`] = { purpose: `Answer turn ${t + 1}`, transitions: [{ target_state: `t${t + 1}`, description: 'the next turn' }] };
  states[`t${SCALE_TURNS}`] = { purpose: 'Say goodbye' };
  return defineMachine({ name: 'scale-bench', initial_state: 't0', states });
}

/** The time one turn's model calls took, measured around them. */
export const modelTime = new AsyncLocalStorage<{ ms: number }>();

/** Times the model calls inside a turn (the innermost layer, next to the model). */
const timeModelCalls: LanguageModelMiddleware = {
  name: 'time-model-calls',
  async complete(request, next) {
    const started = performance.now();
    try {
      return await next(request);
    } finally {
      const clock = modelTime.getStore();
      if (clock !== undefined) clock.ms += performance.now() - started;
    }
  },
};

export interface ScaleRuntime {
  runtime: FsmRuntime;
  close(): Promise<void>;
}

export interface ScaleRuntimeOptions {
  postgresUrl: string;
  /** Created by the caller beforehand, so that no run measures the migration. */
  schema: string;
  redisUrl: string;
  redisPrefix: string;
  seed: number;
  maxConnections: number;
}

/**
 * What one process of a scale-out deployment runs: a stateless FSM runtime over the PostgreSQL
 * store, its model behind the `rateLimit` middleware on Redis (a limit far above the load, so it
 * is consulted on every call but never makes one wait), and a scripted model with 5–50 ms latency.
 */
export async function openScaleRuntime(options: ScaleRuntimeOptions): Promise<ScaleRuntime> {
  const store = await PostgresConversationStore.connect(options.postgresUrl, { schema: options.schema, maxConnections: options.maxConnections });
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  const random = seededRandom(options.seed);
  const scripted = scriptedModel(
    [
      (request) => {
        const latencyMs = SCALE_LATENCY.minMs + Math.floor(random() * (SCALE_LATENCY.maxMs - SCALE_LATENCY.minMs + 1));
        if (request.responseFormat === undefined) return { text: 'Hello!', latencyMs };
        const last = request.messages.at(-1)?.content;
        const turn = typeof last === 'string' ? Number(/^turn (\d+)/.exec(last)?.[1]) : Number.NaN;
        return { object: { transition: Number.isNaN(turn) ? null : { target_state: `t${turn}`, context_update: {} }, message: `reply ${turn}` }, latencyMs };
      },
    ],
    { loop: true, recordRequests: false },
  );
  const model = wrapModel(scripted, [
    rateLimit({ requestsPerMinute: 100_000_000, store: new RedisTokenBucketStore({ client: redis, prefix: options.redisPrefix }), key: 'scale-bench' }),
    timeModelCalls,
  ]);
  const runtime = createRuntime({ machine: scaleMachine(), model, store, stateless: true, conflictRetries: 1 });
  return {
    runtime,
    async close() {
      await store.close();
      redis.disconnect();
    },
  };
}

/** One turn's latency and the time of its model calls. */
export interface TurnSample {
  latencyMs: number;
  modelMs: number;
}

/**
 * Runs each conversation (started here) through its turns, `concurrency` conversations at a
 * time, and returns every turn's sample. Throws if a turn does not move the machine.
 */
export async function runScaleConversations(runtime: FsmRuntime, ids: readonly string[], concurrency: number): Promise<TurnSample[]> {
  const samples: TurnSample[] = [];
  let next = 0;
  const lane = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      await runtime.start({}, { conversationId: id });
      for (let turn = 1; turn <= SCALE_TURNS; turn++) {
        const clock = { ms: 0 };
        const started = performance.now();
        const result = await modelTime.run(clock, () => runtime.converse(id, `turn ${turn} of ${id}`, { idempotencyKey: `${id}:${turn}` }));
        samples.push({ latencyMs: performance.now() - started, modelMs: clock.ms });
        if (result.state !== `t${turn}`) throw new Error(`${id}: turn ${turn} ended in ${result.state}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, lane));
  return samples;
}

/** Creates the store's tables in `schema` once, before any measured run. */
export async function prepareSchema(postgresUrl: string, schema: string): Promise<void> {
  const store = await PostgresConversationStore.connect(postgresUrl, { schema, maxConnections: 1 });
  await store.close();
}
