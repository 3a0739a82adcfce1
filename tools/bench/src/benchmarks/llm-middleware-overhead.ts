import {
  CostLedger,
  cache,
  costLedger,
  log,
  rateLimit,
  retry,
  timeout,
  wrapModel,
  type CompletionRequest,
} from '@kit/llm';
import { scriptedModel } from '@kit/llm/testing';
import { compareInterleaved, type Benchmark, type BenchmarkResult } from '../harness.js';

const BUDGET_US = 20;

/**
 * `llm.middleware-overhead`: the six middleware a production chain uses (log, cache, costLedger,
 * retry, timeout, rateLimit) around an instant scripted model, against the same bare model, in
 * alternating batches. Each call sends a new request, so the cache misses, hashes and stores
 * every time (the expensive path), the ledger records and prices it, and the limiter draws from
 * both buckets. The logger receives every event and drops it: what a logger does with an event
 * is the logger's cost, not the middleware's.
 */
export const middlewareOverheadBenchmark: Benchmark = {
  name: 'llm.middleware-overhead',
  async run({ quick }): Promise<BenchmarkResult[]> {
    const model = scriptedModel(['The order shipped yesterday and arrives on Friday.'], {
      loop: true,
      recordRequests: false,
      modelId: 'gpt-4o-mini',
      provider: 'openai',
    });
    let events = 0;
    const ledger = new CostLedger({ maxEntries: 10_000 });
    const wrapped = wrapModel(model, [
      log({ logger: () => void events++ }),
      cache({ ttlMs: 60_000 }),
      costLedger(ledger),
      retry(),
      timeout({ ms: 30_000 }),
      rateLimit({ requestsPerMinute: 1e9, tokensPerMinute: 1e12 }),
    ]);

    let n = 0;
    const request = (): CompletionRequest => ({
      messages: [
        { role: 'system', content: 'You answer questions about orders.' },
        { role: 'user', content: `Where is order ${n++}?` },
      ],
      temperature: 0,
      metadata: { conversation: 'bench' },
    });
    const reply = await wrapped.complete(request());
    if (reply.text === '' || ledger.totals().calls !== 1 || events === 0) throw new Error('the chain did not run as configured');

    const result = await compareInterleaved({
      subject: () => wrapped.complete(request()),
      baseline: () => model.complete(request()),
      // Many short batches: a GC pause then spoils one sample of many, and the median drops it.
      rounds: quick ? 61 : 201,
      iterations: 250,
      warmupRounds: 20,
    });
    if (ledger.totals().unpricedCalls !== 0) throw new Error('gpt-4o-mini should be priced');
    const overheadUs = result.differenceNs / 1_000;
    return [
      {
        name: 'llm.middleware-overhead',
        value: overheadUs,
        unit: 'µs',
        baseline: result.baselineNs / 1_000,
        ratio: result.ratio,
        budget: `<= ${BUDGET_US} µs`,
        pass: overheadUs <= BUDGET_US,
        note:
          `median per-call difference, six middleware vs the bare instant scripted model (baseline = bare call); ` +
          `with middleware ${(result.subjectNs / 1_000).toFixed(1)} µs per call; every call a cache miss`,
      },
    ];
  },
};
