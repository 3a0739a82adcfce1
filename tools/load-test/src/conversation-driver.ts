import { setTimeout as sleep } from 'node:timers/promises';
import { stateAfter } from './load-machine.js';
import type { PlannedConversation, PlannedTurn } from './turn-plan.js';
import type { WorkerPool, WorkerResult } from './worker-pool.js';
import type { TurnReply, TurnTimings } from './worker-protocol.js';

/** What the coordinator saw while driving a plan. */
export interface DriveStats {
  /** `runtime.converse` time of turns that ran (not replays), in the worker. */
  turnLatencies: number[];
  /** The same minus the model calls' time and rate-limit queueing: Kit, PostgreSQL and Redis. */
  overheads: number[];
  /** Time inside the model calls of those turns. */
  modelLatencies: number[];
  /** The scripted latencies drawn for them (the model's time without the timer's lateness). */
  scriptedLatencies: number[];
  /** Time of deliveries answered from the stored turn (duplicates). */
  replayLatencies: number[];
  deliveries: { turns: number; second: number; concurrent: number; redeliver: number };
  replayed: number;
  /** Turns the runtime ran again itself after a conflict (more than one model call). */
  reruns: number;
  /** Failed attempts that were retried, by error code. */
  retried: Record<string, number>;
  /** Deliveries that succeeded after failed attempts, by the first failure's code: answered from the store (it had been written) or run anew. */
  recovered: Record<string, { replayed: number; ran: number }>;
  /** Every broken promise: a reply that differs between deliveries, a wrong state, a delivery that gave up. */
  problems: string[];
}

export interface DriveOptions {
  plan: readonly PlannedConversation[];
  pool: WorkerPool;
  /** Conversations in flight at once, over all workers. */
  concurrency: number;
  /** Attempts per delivery before giving up (retryable failures only). Default 40. */
  maxAttempts?: number;
  /** Called after every answered user turn with the share of turns done. */
  onProgress?: (done: number, total: number) => void;
}

export interface DriveResult {
  stats: DriveStats;
  /** The reply each turn got, by idempotency key (what the store must hold). */
  replies: Map<string, string>;
  durationMs: number;
}

class DeliveryFailed extends Error {}

function backoffMs(attempt: number): number {
  return Math.min(500, 25 * 2 ** (attempt - 1));
}

/**
 * Drives every planned conversation through the workers: the opening, then each turn after the
 * previous reply (as a user would), the planned ones twice: at the same moment to two workers,
 * or again to another worker after the first reply. Retryable failures (a conflict, a killed
 * worker, a database restarting) are retried with the same idempotency key, so a turn that was
 * stored before its process died is answered from the store rather than run twice.
 */
export async function driveConversations(options: DriveOptions): Promise<DriveResult> {
  const stats: DriveStats = {
    turnLatencies: [],
    overheads: [],
    modelLatencies: [],
    scriptedLatencies: [],
    replayLatencies: [],
    deliveries: { turns: 0, second: 0, concurrent: 0, redeliver: 0 },
    replayed: 0,
    reruns: 0,
    retried: {},
    recovered: {},
    problems: [],
  };
  const replies = new Map<string, string>();
  const maxAttempts = options.maxAttempts ?? 40;
  const total = options.plan.reduce((sum, c) => sum + c.turns.length, 0);
  let done = 0;

  async function deliver(slot: number, body: Parameters<WorkerPool['request']>[1], what: string): Promise<{ reply: TurnReply | undefined; timings: TurnTimings | undefined }> {
    let firstFailure: string | undefined;
    let last: WorkerResult | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      last = await options.pool.request(slot, body);
      if (last.ok) {
        if (firstFailure !== undefined) {
          const entry = (stats.recovered[firstFailure] ??= { replayed: 0, ran: 0 });
          if (last.reply.replayed) entry.replayed++;
          else entry.ran++;
        }
        return { reply: last.reply, timings: last.timings };
      }
      // A start retried after its first attempt may find its own conversation: that attempt got through.
      if (body.type === 'start' && attempt > 1 && last.error.reason === 'exists') return { reply: undefined, timings: undefined };
      if (!last.error.retryable) throw new DeliveryFailed(`${what}: ${last.error.name}: ${last.error.message}`);
      const code = last.error.code ?? last.error.name;
      firstFailure ??= code;
      stats.retried[code] = (stats.retried[code] ?? 0) + 1;
      await sleep(backoffMs(attempt));
    }
    throw new DeliveryFailed(`${what}: gave up after ${maxAttempts} attempts; last: ${last?.ok === false ? last.error.message : '?'}`);
  }

  function record(turn: PlannedTurn, reply: TurnReply | undefined, timings: TurnTimings | undefined): void {
    if (reply === undefined || timings === undefined) return;
    if (reply.replayed) {
      stats.replayed++;
      stats.replayLatencies.push(timings.latencyMs);
      return;
    }
    stats.turnLatencies.push(timings.latencyMs);
    stats.modelLatencies.push(timings.modelMs);
    stats.scriptedLatencies.push(timings.scriptedMs);
    stats.overheads.push(timings.latencyMs - timings.modelMs - timings.queuedMs);
    if (timings.modelCalls > 1) stats.reruns++;
    if (reply.state !== stateAfter(turn.index)) stats.problems.push(`${turn.idempotencyKey}: the turn ended in ${reply.state}, expected ${stateAfter(turn.index)}`);
  }

  async function runTurn(conversation: PlannedConversation, turn: PlannedTurn): Promise<void> {
    const body = { type: 'turn' as const, conversationId: conversation.conversationId, text: turn.text, idempotencyKey: turn.idempotencyKey };
    stats.deliveries.turns++;
    let first;
    let second;
    if (turn.delivery === 'concurrent') {
      stats.deliveries.second++;
      stats.deliveries.concurrent++;
      [first, second] = await Promise.all([deliver(conversation.homeSlot, body, turn.idempotencyKey), deliver(turn.secondSlot, body, `${turn.idempotencyKey} (2nd)`)]);
    } else {
      first = await deliver(conversation.homeSlot, body, turn.idempotencyKey);
      if (turn.delivery === 'redeliver') {
        stats.deliveries.second++;
        stats.deliveries.redeliver++;
        second = await deliver(turn.secondSlot, body, `${turn.idempotencyKey} (2nd)`);
        if (second.reply?.replayed !== true) stats.problems.push(`${turn.idempotencyKey}: a redelivery after the reply was not answered from the store`);
      }
    }
    record(turn, first.reply, first.timings);
    if (second !== undefined) {
      record(turn, second.reply, second.timings);
      if (first.reply?.message !== second.reply?.message) {
        stats.problems.push(`${turn.idempotencyKey}: two deliveries got different replies: ${JSON.stringify(first.reply?.message)} and ${JSON.stringify(second.reply?.message)}`);
      }
    }
    if (first.reply !== undefined) replies.set(turn.idempotencyKey, first.reply.message);
    done++;
    options.onProgress?.(done, total);
  }

  async function runConversation(conversation: PlannedConversation): Promise<void> {
    try {
      await deliver(conversation.homeSlot, { type: 'start', conversationId: conversation.conversationId }, `${conversation.conversationId} start`);
      for (const turn of conversation.turns) await runTurn(conversation, turn);
    } catch (error) {
      if (!(error instanceof DeliveryFailed)) throw error;
      stats.problems.push(error.message);
    }
  }

  const startedAt = performance.now();
  let next = 0;
  const lanes = Array.from({ length: Math.min(options.concurrency, options.plan.length) }, async () => {
    while (next < options.plan.length) await runConversation(options.plan[next++]!);
  });
  await Promise.all(lanes);
  return { stats, replies, durationMs: performance.now() - startedAt };
}
