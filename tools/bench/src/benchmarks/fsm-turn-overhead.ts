import { createRuntime } from '@kit/fsm';
import type { CompletionRequest } from '@kit/llm';
import { scriptedModel } from '@kit/llm/testing';
import { compareInterleaved, type Benchmark, type BenchmarkResult } from '../harness.js';
import { benchMachine, followTheForm } from './fsm-bench-machine.js';

const BUDGET_US = 50;

/**
 * `fsm.turn-overhead`: one single-pass turn through a 50-state machine (prompt rendering, the
 * structured reply, the engine's decision, handlers' bookkeeping, the in-memory session), with an
 * instant scripted model and no store, against the bare call of the same model with the same
 * request (the last one the runtime sent, history at its steady-state length), in alternating
 * batches. The difference is the engine's time beyond the model call.
 */
export const fsmTurnOverheadBenchmark: Benchmark = {
  name: 'fsm.turn-overhead',
  async run({ quick }): Promise<BenchmarkResult[]> {
    let lastRequest: CompletionRequest | undefined;
    const model = scriptedModel(
      [
        (request) => {
          lastRequest = request;
          return followTheForm(request);
        },
      ],
      { loop: true, recordRequests: false, modelId: 'gpt-4o-mini', provider: 'openai' },
    );
    const runtime = createRuntime({ machine: benchMachine(), model });
    const { conversationId } = await runtime.start();
    // Fill the history to its steady-state length (the default 10 messages) and check the machine moves.
    let state = '';
    for (let i = 0; i < 15; i++) state = (await runtime.converse(conversationId, `my answer ${i}`)).state;
    if (state !== 's15') throw new Error(`the machine did not follow the form: in ${state} after 15 turns`);
    const baselineRequest = lastRequest!;
    if (baselineRequest.messages.length !== 13) throw new Error(`expected a steady-state request of 13 messages, got ${baselineRequest.messages.length}`);

    let turn = 0;
    const result = await compareInterleaved({
      subject: () => runtime.converse(conversationId, `my answer ${turn++}`),
      baseline: () => model.complete(baselineRequest),
      rounds: quick ? 41 : 151,
      iterations: 100,
      warmupRounds: 10,
    });
    const overheadUs = result.differenceNs / 1_000;
    return [
      {
        name: 'fsm.turn-overhead',
        value: overheadUs,
        unit: 'µs',
        baseline: result.baselineNs / 1_000,
        ratio: result.ratio,
        budget: `<= ${BUDGET_US} µs`,
        pass: overheadUs <= BUDGET_US,
        note:
          `median per-turn difference, runtime.converse vs the bare scripted model call with the runtime's own request ` +
          `(baseline = bare call); a turn takes ${(result.subjectNs / 1_000).toFixed(1)} µs in all, 50 states, no store`,
      },
    ];
  },
};
