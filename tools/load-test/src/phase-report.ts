import type { LatencySummary } from './latency-summary.js';
import type { PhaseResult } from './load-phase.js';

const ms = (value: number) => (Number.isNaN(value) ? 'n/a' : `${value.toFixed(1)} ms`);

function latencyLine(label: string, summary: LatencySummary): string {
  return `  ${label.padEnd(26)} p50 ${ms(summary.p50)}  p95 ${ms(summary.p95)}  p99 ${ms(summary.p99)}  max ${ms(summary.max)}  (n=${summary.count})`;
}

/** The human-readable report of one phase. */
export function formatPhase(result: PhaseResult): string {
  const { stats, rateLimit } = result;
  const window = rateLimit.windowMs / rateLimit.timeScale / 1_000;
  const minute = rateLimit.timeScale === 1 ? '60 s window' : `limiter minute (= ${window.toFixed(window < 10 ? 1 : 0)} s of real time, clock x${rateLimit.timeScale})`;
  const lines = [
    `== ${result.name}: ${result.workers} workers, ${result.conversations} conversations x ${result.turns / result.conversations} turns ==`,
    `  throughput                 ${result.turnsPerSecond.toFixed(1)} turns/s (${result.turns} user turns in ${(result.durationMs / 1_000).toFixed(1)} s, openings not counted)`,
    latencyLine('turn latency', result.latency),
    latencyLine('minus model and queueing', result.overhead),
    latencyLine('model calls (measured)', result.model),
    latencyLine('model calls (scripted)', result.scripted),
    latencyLine('replayed duplicates', result.replay),
    `  deliveries                 ${stats.deliveries.turns} turns, ${stats.deliveries.second} sent twice (${stats.deliveries.concurrent} to two workers at once, ${stats.deliveries.redeliver} again after the reply); ${stats.replayed} answered from the store; ${stats.reruns} turns re-run by the runtime after a conflict`,
    `  retried failures           ${Object.entries(stats.retried).map(([code, n]) => `${code} x${n}`).join(', ') || 'none'}`,
    `  rate limit                 ${rateLimit.admitted} calls admitted; limit ${rateLimit.limit} per ${minute} (sliding window); ${rateLimit.held ? 'held' : 'EXCEEDED'} in every window`,
    `  calls per limiter minute   max in any window ${rateLimit.maxInWindow} (the first included); ` +
      (rateLimit.maxInSteadyWindow === undefined
        ? 'steady-state windows: n/a (run shorter than four windows)'
        : `steady-state windows ${rateLimit.minInSteadyWindow}..${rateLimit.maxInSteadyWindow}`),
    `  verification               ${result.verification.conversations} conversations read back from PostgreSQL: ${result.verification.problems.length === 0 ? 'every one holds exactly its turns, in order' : `${result.verification.problems.length} problems`}`,
  ];
  if (result.fault !== undefined) {
    lines.push(`  fault                      ${result.fault.kind} after ${result.fault.atTurn} turns: ${result.fault.notes.join('; ')}`);
  }
  if (result.problems.length > 0) {
    lines.push(`  PROBLEMS (${result.problems.length}):`);
    for (const problem of result.problems.slice(0, 20)) lines.push(`    - ${problem}`);
    if (result.problems.length > 20) lines.push(`    ... and ${result.problems.length - 20} more`);
  }
  return lines.join('\n');
}
