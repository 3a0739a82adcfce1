import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ConcurrentWriterConfig, ConcurrentWriterReport } from './concurrent-writer-config.js';

const here = dirname(fileURLToPath(import.meta.url));

interface RunningWriter {
  ready: Promise<void>;
  go(): void;
  done: Promise<ConcurrentWriterReport>;
}

function startWriter(config: ConcurrentWriterConfig): RunningWriter {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@kit/source',
      '--import',
      pathToFileURL(join(here, 'register-typescript-loader.mjs')).href,
      join(here, 'concurrent-store-writer.ts'),
      JSON.stringify(config),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], cwd: here },
  );
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // A writer that died early closes its stdin; its exit code reports the failure.
  child.stdin.on('error', () => undefined);
  const done = new Promise<ConcurrentWriterReport>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      markReady();
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`writer ${config.name} exited with ${code}: ${stderr || stdout}`));
      else resolve(JSON.parse(last) as ConcurrentWriterReport);
    });
  });
  return { ready, go: () => child.stdin.write('go\n'), done };
}

/**
 * Runs one writer process per config (real `node` processes, each with its own connection),
 * starts them together once all have opened their stores, and returns their reports.
 */
export async function runConcurrentWriters(configs: readonly ConcurrentWriterConfig[]): Promise<ConcurrentWriterReport[]> {
  const writers = configs.map(startWriter);
  await Promise.all(writers.map((writer) => writer.ready));
  for (const writer of writers) writer.go();
  return Promise.all(writers.map((writer) => writer.done));
}
