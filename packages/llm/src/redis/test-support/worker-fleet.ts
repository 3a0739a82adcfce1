import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect } from 'vitest';
import { bundleTestWorker, type BundledWorker } from './bundle-test-worker.js';
import { deleteKeys, randomPrefix, testClient } from './redis-test-server.js';
import { startWorker } from './worker-process.js';

/** What one run of a fleet gives back: the start and end it sent, and each worker's grants. */
export interface FleetRun<G> {
  startAt: number;
  endAt: number;
  /** One list per process, in the order the processes were started. */
  grants: G[][];
}

/**
 * The parent side of the multi-process limiter tests, registered in the enclosing `describe`:
 * bundles `workerFile` (a hammering worker) once, gives the test a Redis client, and deletes the
 * keys under its own prefix afterwards. `run` starts the processes, waits until all are ready,
 * calls `beforeGo` (to calibrate clocks, say), starts them together, checks every one exited
 * cleanly and got a share of the limit, and kills any left behind.
 */
export function workerFleet<G>(url: string, workerFile: URL, prefixName: string) {
  let worker: BundledWorker | undefined;
  let client: Redis | undefined;
  const prefix = randomPrefix(prefixName);

  beforeAll(async () => {
    worker = await bundleTestWorker(fileURLToPath(workerFile));
    client = testClient(url);
  }, 30_000);

  afterAll(async () => {
    await worker?.cleanup();
    if (client !== undefined) {
      await deleteKeys(client, prefix);
      client.disconnect();
    }
  });

  async function run(options: { processes: number; callers: number; runMs: number; beforeGo?: () => Promise<void> }): Promise<FleetRun<G>> {
    const workers = Array.from({ length: options.processes }, (_, i) => startWorker(worker!.file, [url, prefix, String(options.callers), String(i + 1)]));
    try {
      await Promise.all(workers.map((w) => w.line('ready')));
      await options.beforeGo?.();
      const startAt = Date.now() + 100;
      const endAt = startAt + options.runMs;
      for (const w of workers) w.child.stdin.end(`go ${startAt} ${endAt}\n`);
      const done = await Promise.all(workers.map((w) => w.line('done ')));
      const codes = await Promise.all(workers.map((w) => w.exited));
      expect(codes, workers.map((w) => w.stderr()).join('\n')).toEqual(workers.map(() => 0));
      const grants = done.map((line) => JSON.parse(line.slice('done '.length)) as G[]);
      // Every process had its share: the limit was contended, not won by one.
      for (const own of grants) expect(own.length).toBeGreaterThan(0);
      return { startAt, endAt, grants };
    } finally {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    }
  }

  return { run, client: () => client! };
}
