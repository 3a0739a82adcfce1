import { performance } from 'node:perf_hooks';
import { createRuntime, type FsmRuntime } from '@kit/fsm';
import type { CompletionRequest, LanguageModel } from '@kit/llm';
import { scriptedModel } from '@kit/llm/testing';
import { median, type Benchmark, type BenchmarkResult } from '../harness.js';
import { benchMachine, followTheForm } from './fsm-bench-machine.js';

const SESSIONS = 1_000;
const TURNS = 10;
const LATENCY_MS = 20;
const BUDGET_RATIO = 1.5;

async function runSession(runtime: FsmRuntime, conversationId: string): Promise<void> {
  for (let turn = 0; turn < TURNS; turn++) {
    const result = await runtime.converse(conversationId, `answer ${turn}`);
    if (!result.transitioned) throw new Error(`turn ${turn} of ${conversationId} did not move`);
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/**
 * `fsm.concurrent-sessions`: 1,000 sessions of 10 turns each, all at once, against a scripted
 * model that takes 20 ms per reply, compared with one session alone (10 x 20 ms = 200 ms of model
 * time, measured in the same run), after one unmeasured round of the same load (a warm-up: see
 * the note for its time). Sessions are started before the clock runs. The budget: all
 * 1,000 finish within 1.5x of the single session. The note also gives the bare model under the
 * same load (1,000 x 10 calls at once with a request the runtime sent, no runtime), since on a
 * slow machine the model's own work is a large share of the total.
 */
export const fsmConcurrentSessionsBenchmark: Benchmark = {
  name: 'fsm.concurrent-sessions',
  async run({ quick }): Promise<BenchmarkResult[]> {
    let sample: CompletionRequest | undefined;
    const model: LanguageModel = scriptedModel(
      [
        (request) => {
          sample ??= request.messages.length > 6 ? request : undefined;
          return followTheForm(request);
        },
      ],
      { loop: true, latencyMs: LATENCY_MS, recordRequests: false },
    );
    const runtime = createRuntime({ machine: benchMachine(), model });
    // A major GC landing inside one round moves it by 10-20%: a median of 3 even in quick mode.
    const repeats = quick ? 3 : 5;
    const single: number[] = [];
    const concurrent: number[] = [];
    const bare: number[] = [];
    const startSessions = async () => (await Promise.all(Array.from({ length: SESSIONS }, () => runtime.start()))).map((s) => s.conversationId);
    // One unmeasured round first, as a long-running server would have had: the first round in a
    // fresh process also pays for compiling the turn path and growing the heap under load
    // (printed in the note as the cold round), which says nothing about how turns scale.
    const coldIds = await startSessions();
    const cold = await timed(() => Promise.all(coldIds.map((id) => runSession(runtime, id))));
    for (let repeat = 0; repeat < repeats; repeat++) {
      const alone = (await runtime.start()).conversationId;
      single.push(await timed(() => runSession(runtime, alone)));

      const ids = await startSessions();
      concurrent.push(await timed(() => Promise.all(ids.map((id) => runSession(runtime, id)))));

      const request = sample!;
      bare.push(
        await timed(() =>
          Promise.all(
            ids.map(async () => {
              for (let turn = 0; turn < TURNS; turn++) await model.complete(request);
            }),
          ),
        ),
      );
    }
    const singleMs = median(single);
    const concurrentMs = median(concurrent);
    const ratio = concurrentMs / singleMs;
    return [
      {
        name: 'fsm.concurrent-sessions',
        value: concurrentMs,
        unit: 'ms',
        baseline: singleMs,
        ratio,
        budget: `ratio <= ${BUDGET_RATIO}`,
        pass: ratio <= BUDGET_RATIO,
        note:
          `${SESSIONS} sessions x ${TURNS} turns at once vs one session alone (baseline), scripted model with ${LATENCY_MS} ms latency, ` +
          `no store; median of ${repeats} rounds (${Math.min(...concurrent).toFixed(0)}..${Math.max(...concurrent).toFixed(0)} ms) after one unmeasured round ` +
          `(that cold first round took ${cold.toFixed(0)} ms, ${(cold / singleMs).toFixed(2)}x); ` +
          `the bare model under the same load (no runtime) takes ${median(bare).toFixed(0)} ms`,
      },
    ];
  },
};
