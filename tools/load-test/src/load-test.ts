import { availableParallelism } from 'node:os';
import { runPhase, type PhaseOptions, type PhaseResult } from './load-phase.js';
import { formatPhase } from './phase-report.js';
import { postgresProblem, redisProblem, serviceUrlsFromEnvironment } from './shared-services.js';
import { ThrowawayPostgres } from './throwaway-postgres.js';
import { formatMessageVolume, measureMessageVolume, messageVolumeProblems } from './message-volume.js';

/** Command-line choices; anything left out takes the mode's default. */
export interface LoadTestOptions {
  quick: boolean;
  workers?: number | undefined;
  conversations?: number | undefined;
  turns?: number | undefined;
  concurrencyPerWorker?: number | undefined;
  requestsPerMinute?: number | undefined;
  limiterMinuteSeconds?: number | undefined;
  conflictRetries?: number | undefined;
  seed?: number | undefined;
  faults?: boolean | undefined;
  scaling?: number[] | undefined;
  scalingConversations?: number | undefined;
  seedMessages?: number | undefined;
}

/** A rate limit far above what the machine can do: the limiter is consulted, never binding. */
const UNBOUNDED_RPM = 100_000_000;

/**
 * Runs the load test's phases and prints their reports: the load itself; a worker killed with
 * SIGKILL mid-run; a throwaway PostgreSQL cluster restarted mid-run; in full mode, turns/s at 1,
 * 2, 4 and 8 workers, and optionally the store at a million messages. Resolves true when every
 * check of every phase passed.
 */
export async function runLoadTest(options: LoadTestOptions, print: (line: string) => void): Promise<boolean> {
  const urls = serviceUrlsFromEnvironment();
  const missing = [await postgresProblem(urls.postgresUrl), await redisProblem(urls.redisUrl)].filter((p) => p !== undefined);
  if (missing.length > 0) {
    print(`the load test cannot run: ${missing.join('; ')}`);
    return false;
  }
  const postgresUrl = urls.postgresUrl!;
  const redisUrl = urls.redisUrl!;
  const quick = options.quick;
  const limiterMinuteSeconds = options.limiterMinuteSeconds ?? (quick ? 3 : 60);
  const base: Omit<PhaseOptions, 'name' | 'postgresUrl' | 'workers' | 'conversations'> = {
    redisUrl,
    turnsPerConversation: options.turns ?? 5,
    concurrencyPerWorker: options.concurrencyPerWorker ?? 16,
    // Pools stay small: 8 workers share the machine's PostgreSQL (100 connections) with others.
    maxConnectionsPerWorker: 6,
    // Quick: the limit binds after the first burst (60 calls/s against a demand of about twice that).
    // Full: 50 calls/s after a burst of 3,000, below what 8 workers ask for, so several real
    // minutes of the run are limited and the per-minute windows can be checked.
    requestsPerMinute: options.requestsPerMinute ?? (quick ? 180 : 3_000),
    timeScale: 60 / limiterMinuteSeconds,
    latency: { minMs: 5, maxMs: 50 },
    seed: options.seed ?? 1,
    conflictRetries: options.conflictRetries ?? 1,
  };
  const workers = options.workers ?? (quick ? 2 : 8);
  const results: PhaseResult[] = [];
  const failures: string[] = [];
  print(
    `load test (${quick ? 'quick' : 'full'}): ${workers} workers, ${options.conversations ?? (quick ? 60 : 2_000)} conversations x ${base.turnsPerConversation} turns, ` +
      `scripted model ${base.latency.minMs}-${base.latency.maxMs} ms, rate limit ${base.requestsPerMinute} calls per limiter minute of ${limiterMinuteSeconds} s, conflictRetries ${base.conflictRetries}`,
  );

  const phase = async (options: PhaseOptions): Promise<PhaseResult | undefined> => {
    try {
      const result = await runPhase(options);
      results.push(result);
      print(formatPhase(result));
      return result;
    } catch (error) {
      failures.push(`${options.name}: ${(error as Error).stack ?? String(error)}`);
      print(`== ${options.name}: FAILED TO RUN: ${(error as Error).message}`);
      return undefined;
    }
  };

  await phase({ ...base, name: 'load', postgresUrl, workers, conversations: options.conversations ?? (quick ? 60 : 2_000) });

  if (options.faults ?? true) {
    const faultWorkers = Math.max(2, Math.min(workers, 4));
    const faultConversations = quick ? 40 : 200;
    await phase({ ...base, name: 'fault: worker killed (SIGKILL)', postgresUrl, workers: faultWorkers, conversations: faultConversations, fault: { kind: 'kill-worker', atShare: 0.4 } });
    let cluster: ThrowawayPostgres | undefined;
    // Interrupted (Ctrl-C, a CI timeout): the cluster's server must not outlive the run.
    const stopOnSignal = (signal: NodeJS.Signals) => {
      cluster?.stopNow();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', stopOnSignal);
    process.once('SIGTERM', stopOnSignal);
    try {
      cluster = await ThrowawayPostgres.start();
      const restarting = cluster;
      await phase({
        ...base,
        name: 'fault: database restarted (throwaway cluster)',
        postgresUrl: cluster.url,
        workers: faultWorkers,
        conversations: faultConversations,
        fault: { kind: 'restart-database', atShare: 0.4, restart: () => restarting.restart() },
      });
    } catch (error) {
      failures.push(`database restart: ${(error as Error).message}`);
      print(`== fault: database restarted: FAILED TO RUN: ${(error as Error).message}`);
    } finally {
      process.removeListener('SIGINT', stopOnSignal);
      process.removeListener('SIGTERM', stopOnSignal);
      await cluster?.stop().catch(() => undefined);
    }
  }

  const scaling = options.scaling ?? (quick ? [] : [1, 2, 4, 8]);
  if (scaling.length > 0) {
    const rows: string[] = [];
    for (const count of scaling) {
      const result = await phase({
        ...base,
        name: `scaling: ${count} worker${count === 1 ? '' : 's'}`,
        postgresUrl,
        workers: count,
        conversations: options.scalingConversations ?? 400,
        requestsPerMinute: UNBOUNDED_RPM,
        timeScale: 1,
      });
      if (result !== undefined) rows.push(`  ${String(count).padStart(2)} workers  ${result.turnsPerSecond.toFixed(1).padStart(7)} turns/s  p50 ${result.latency.p50.toFixed(1)} ms  p99 ${result.latency.p99.toFixed(1)} ms`);
    }
    print(`== turns/s by worker count (${options.scalingConversations ?? 400} conversations each, rate limit not binding; the workers share this machine's ${availableParallelism()} cores with PostgreSQL, Redis and the coordinator) ==\n${rows.join('\n')}`);
  }

  if ((options.seedMessages ?? 0) > 0) {
    try {
      const volume = await measureMessageVolume(postgresUrl, options.seedMessages!);
      print(formatMessageVolume(volume));
      failures.push(...messageVolumeProblems(volume));
    } catch (error) {
      failures.push(`message volume: ${(error as Error).message}`);
      print(`== message volume: FAILED TO RUN: ${(error as Error).message}`);
    }
  }

  const problems = results.reduce((sum, r) => sum + r.problems.length, 0);
  const passed = problems === 0 && failures.length === 0;
  for (const failure of failures) print(failure);
  print(passed ? `PASS: ${results.length} phases, every check held` : `FAIL: ${problems} problems in ${results.filter((r) => r.problems.length > 0).length} phases, ${failures.length} phases failed to run`);
  return passed;
}
