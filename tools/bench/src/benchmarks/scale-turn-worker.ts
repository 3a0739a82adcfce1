/**
 * A child process of `scale.throughput`: one process of a scale-out deployment. Reads its work
 * (JSON) from argv, connects, warms up (a few conversations of its own, so that every process is
 * measured with its code compiled, however little work it gets), prints `ready`, waits for a line
 * on stdin, runs its conversations and prints `{ turns, latencies }` as one JSON line.
 */
import { waitForGo } from './scale-services.js';
import { openScaleRuntime, runScaleConversations, type ScaleRuntimeOptions } from './scale-turn-setup.js';

export interface ScaleTurnWorkerConfig extends ScaleRuntimeOptions {
  conversationIds: string[];
  concurrency: number;
}

const config = JSON.parse(process.argv[2]!) as ScaleTurnWorkerConfig;
const scale = await openScaleRuntime(config);
const warmUp = Array.from({ length: 8 }, (_, i) => `warm-${process.pid}-${i}`);
await runScaleConversations(scale.runtime, warmUp, 4);
console.log('ready');
await waitForGo();
const samples = await runScaleConversations(scale.runtime, config.conversationIds, config.concurrency);
await scale.close();
console.log(JSON.stringify({ turns: samples.length, latencies: samples.map((s) => Math.round(s.latencyMs * 10) / 10) }));
