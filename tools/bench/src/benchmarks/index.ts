import type { Benchmark } from '../harness.js';
import { conversationsFileAppendBenchmark } from './conversations-file-append.js';
import { conversationsSqliteBenchmark } from './conversations-sqlite.js';
import { aaFalsePositivesBenchmark } from './experiments-aa-false-positives.js';
import { fsmConcurrentSessionsBenchmark } from './fsm-concurrent-sessions.js';
import { fsmTurnOverheadBenchmark } from './fsm-turn-overhead.js';
import { assignmentBalanceBenchmark } from './experiments-assignment-balance.js';
import { recordEventBenchmark } from './experiments-record-event.js';
import { importTimeBenchmark } from './import-time.js';
import { middlewareOverheadBenchmark } from './llm-middleware-overhead.js';
import { streamOverheadBenchmark } from './llm-stream-overhead.js';
import { tokenCountBenchmark } from './llm-token-count.js';
import { promptsRenderBenchmark } from './prompts-render.js';
import { scaleOverheadBenchmark } from './scale-overhead.js';
import { scaleRateLimitAccuracyBenchmark } from './scale-rate-limit-accuracy.js';
import { scaleThroughputBenchmark } from './scale-throughput.js';
import { packagesImportTimeBenchmark } from './packages-import-time.js';
import { packagesSizeBenchmark } from './packages-size.js';

/** Every benchmark, in the order they run. Names are the budget rows of the issues. */
export const benchmarks: readonly Benchmark[] = [
  importTimeBenchmark('llm.import-time', '@kit/llm', 100),
  middlewareOverheadBenchmark,
  tokenCountBenchmark,
  streamOverheadBenchmark,
  assignmentBalanceBenchmark,
  aaFalsePositivesBenchmark,
  promptsRenderBenchmark,
  recordEventBenchmark,
  conversationsSqliteBenchmark,
  conversationsFileAppendBenchmark,
  fsmTurnOverheadBenchmark,
  fsmConcurrentSessionsBenchmark,
  scaleOverheadBenchmark,
  scaleRateLimitAccuracyBenchmark,
  scaleThroughputBenchmark,
  packagesImportTimeBenchmark,
  packagesSizeBenchmark,
];
