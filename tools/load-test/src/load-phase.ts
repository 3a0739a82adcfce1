import { PostgresConversationStore } from '@kit/conversations/postgres';
import { Redis } from 'ioredis';
import { driveConversations, type DriveStats } from './conversation-driver.js';
import { summarizeLatencies, type LatencySummary } from './latency-summary.js';
import { checkRateLimit, type RateLimitCheck } from './rate-limit-check.js';
import { deleteRedisKeys, dropSchema, uniqueRunId } from './shared-services.js';
import { planTurns } from './turn-plan.js';
import { verifyConversations, type VerificationResult } from './verify-conversations.js';
import { WorkerPool } from './worker-pool.js';

/** A fault injected once a share of the turns is answered. */
export type PhaseFault =
  | { kind: 'kill-worker'; atShare: number }
  | { kind: 'restart-database'; atShare: number; restart: () => Promise<void> };

export interface PhaseOptions {
  name: string;
  postgresUrl: string;
  redisUrl: string;
  workers: number;
  conversations: number;
  turnsPerConversation: number;
  /** Conversations in flight per worker. */
  concurrencyPerWorker: number;
  maxConnectionsPerWorker: number;
  requestsPerMinute: number;
  /** The limiter's minute lasts `60 / timeScale` seconds. */
  timeScale: number;
  latency: { minMs: number; maxMs: number };
  seed: number;
  conflictRetries: number;
  fault?: PhaseFault | undefined;
}

export interface FaultReport {
  kind: PhaseFault['kind'];
  /** User turns answered when the fault struck. */
  atTurn: number;
  /** Requests the killed worker had in flight (kill only). */
  inFlight?: number | undefined;
  notes: string[];
}

export interface PhaseResult {
  name: string;
  workers: number;
  conversations: number;
  turns: number;
  durationMs: number;
  turnsPerSecond: number;
  latency: LatencySummary;
  overhead: LatencySummary;
  model: LatencySummary;
  scripted: LatencySummary;
  replay: LatencySummary;
  stats: Omit<DriveStats, 'turnLatencies' | 'overheads' | 'modelLatencies' | 'scriptedLatencies' | 'replayLatencies'>;
  rateLimit: RateLimitCheck & { timeScale: number };
  verification: VerificationResult;
  fault?: FaultReport | undefined;
  /** Everything that broke a promise; empty when the phase passed. */
  problems: string[];
}

/**
 * Codes of the failures a database restart causes: Kit's own (the runtime's `unavailable`, the
 * store's when it surfaces bare) and, for what still arrives unlabelled, raw PostgreSQL and socket
 * codes (see retryable-error.ts).
 */
const DATABASE_FAILURE = /^(fsm\/session-unavailable|conversation-store-unavailable|57P0\d|08\d{3}|ECONN\w+|EPIPE)$|^Error$/;

/**
 * One run of the load test: starts the workers at once on a fresh schema (they race to create
 * it), drives the planned conversations through them with duplicates and retries, injects the
 * fault if any, then reads every conversation back from PostgreSQL, checks the shared rate limit
 * against every admitted call's timestamp, and drops the schema and the Redis keys.
 */
export async function runPhase(options: PhaseOptions): Promise<PhaseResult> {
  const runId = uniqueRunId();
  const schema = runId;
  const redisPrefix = `kit:lt:${runId}:`;
  const clockOrigin = Date.now();
  const plan = planTurns({ runId, conversations: options.conversations, turnsPerConversation: options.turnsPerConversation, workers: options.workers, seed: options.seed });
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  const problems: string[] = [];
  let pool: WorkerPool | undefined;
  try {
    pool = await WorkerPool.start(options.workers, (slot, generation) => ({
      slot,
      tag: `w${slot}.${generation}`,
      postgresUrl: options.postgresUrl,
      schema,
      maxConnections: options.maxConnectionsPerWorker,
      redisUrl: options.redisUrl,
      redisPrefix,
      rateLimit: { requestsPerMinute: options.requestsPerMinute, timeScale: options.timeScale, clockOrigin },
      latency: options.latency,
      seed: options.seed * 1_000 + slot * 10 + generation,
      turnsPerConversation: options.turnsPerConversation,
      conflictRetries: options.conflictRetries,
    }));
    const activePool = pool;
    let fault: FaultReport | undefined;
    let faultDone: Promise<void> = Promise.resolve();
    const drive = await driveConversations({
      plan,
      pool: activePool,
      concurrency: options.workers * options.concurrencyPerWorker,
      onProgress(done, total) {
        if (options.fault === undefined || fault !== undefined || done < options.fault.atShare * total) return;
        const injected: FaultReport = { kind: options.fault.kind, atTurn: done, notes: [] };
        fault = injected;
        if (options.fault.kind === 'kill-worker') {
          injected.inFlight = activePool.inFlight(0);
          faultDone = activePool.kill(0);
        } else {
          faultDone = options.fault.restart();
        }
        faultDone = faultDone.catch((error: unknown) => {
          problems.push(`the ${injected.kind} fault failed: ${(error as Error).message}`);
        });
      },
    });
    await faultDone;
    await activePool.stop();
    problems.push(...drive.stats.problems, ...activePool.unexpectedExits);
    if (options.fault !== undefined) {
      if (fault === undefined) problems.push(`the ${options.fault.kind} fault was never injected`);
      else problems.push(...checkFault(fault, drive.stats));
    }

    const store = await PostgresConversationStore.connect(options.postgresUrl, { schema, maxConnections: 4 });
    let verification: VerificationResult;
    try {
      verification = await verifyConversations(store, plan, drive.replies, 'load-test');
    } finally {
      await store.close();
    }
    problems.push(...verification.problems);

    // The limiter-clock time the store gave each admitted call's entry.
    const admitted = (await redis.lrange(`${redisPrefix}admitted`, 0, -1)).map(Number);
    const rateLimit = { ...checkRateLimit(admitted, options.requestsPerMinute, 60_000), timeScale: options.timeScale };
    if (!rateLimit.held) {
      problems.push(`the shared rate limit was exceeded: ${rateLimit.maxInWindow} calls in one window of 60 s, over the limit of ${options.requestsPerMinute}`);
    }
    const turns = plan.length * options.turnsPerConversation;
    const { turnLatencies, overheads, modelLatencies, scriptedLatencies, replayLatencies, ...stats } = drive.stats;
    return {
      name: options.name,
      workers: options.workers,
      conversations: plan.length,
      turns,
      durationMs: drive.durationMs,
      turnsPerSecond: turns / (drive.durationMs / 1_000),
      latency: summarizeLatencies(turnLatencies),
      overhead: summarizeLatencies(overheads),
      model: summarizeLatencies(modelLatencies),
      scripted: summarizeLatencies(scriptedLatencies),
      replay: summarizeLatencies(replayLatencies),
      stats,
      rateLimit,
      verification,
      fault,
      problems,
    };
  } finally {
    await pool?.stop();
    await dropSchema(options.postgresUrl, schema).catch((error: unknown) => console.error(`could not drop schema ${schema}: ${(error as Error).message}`));
    await deleteRedisKeys(redis, redisPrefix).catch(() => undefined);
    redis.disconnect();
  }
}

/** What the fault must have caused: failed turns that were retried and then answered. */
function checkFault(fault: FaultReport, stats: DriveStats): string[] {
  const problems: string[] = [];
  if (fault.kind === 'kill-worker') {
    const recovered = stats.recovered['worker-died'];
    fault.notes.push(
      `${fault.inFlight ?? 0} requests in flight on the killed worker; after retries ${recovered?.replayed ?? 0} were answered from the store (written before the kill), ${recovered?.ran ?? 0} ran anew`,
    );
    if ((fault.inFlight ?? 0) === 0) problems.push('the kill hit no request in flight: it proves nothing');
  } else {
    const codes = Object.keys(stats.recovered).filter((code) => DATABASE_FAILURE.test(code));
    const failed = Object.entries(stats.retried).filter(([code]) => DATABASE_FAILURE.test(code)).reduce((sum, [, n]) => sum + n, 0);
    const recovered = codes.reduce((sum, code) => sum + stats.recovered[code]!.replayed + stats.recovered[code]!.ran, 0);
    const replayed = codes.reduce((sum, code) => sum + stats.recovered[code]!.replayed, 0);
    fault.notes.push(
      `${failed} attempts failed with database errors (${codes.join(', ') || 'none'}) and were retried; ${recovered} deliveries recovered, ${replayed} of them answered from the store (their write had committed)`,
    );
    if (recovered === 0) problems.push('the database restart hit no turn in flight: it proves nothing');
  }
  return problems;
}
