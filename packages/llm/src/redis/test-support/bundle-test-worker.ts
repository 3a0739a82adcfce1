import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, parse } from 'node:path';
import { build } from 'rolldown';

/** A worker script bundled to plain JavaScript, ready for `node`. */
export interface BundledWorker {
  /** The `.mjs` to run. */
  file: string;
  cleanup(): Promise<void>;
}

function nearestNodeModules(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules');
    if (existsSync(candidate)) return candidate;
    if (dir === parse(dir).root) throw new Error(`no node_modules above ${from}`);
  }
}

/**
 * Bundles a TypeScript worker and the sources it imports into one ESM file, so that a test can run
 * it as a separate `node` process without a prior build (Node 20 cannot run TypeScript, and
 * vitest's transform exists only inside vitest). npm packages (ioredis, zod) stay imports: the
 * output goes under the nearest `node_modules/.cache/`, from where Node resolves them as the
 * sources would. (@kit/conversations has the same helper for its own workers; packages do not
 * share test code.)
 */
export async function bundleTestWorker(entry: string): Promise<BundledWorker> {
  const outDir = join(nearestNodeModules(dirname(entry)), '.cache', 'kit-test-workers', randomUUID());
  await mkdir(outDir, { recursive: true });
  await build({
    input: entry,
    platform: 'node',
    logLevel: 'warn',
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(id),
    output: { dir: outDir, format: 'esm', entryFileNames: 'worker.mjs', chunkFileNames: '[name]-[hash].mjs' },
  });
  return {
    file: join(outDir, 'worker.mjs'),
    cleanup: () => rm(outDir, { recursive: true, force: true }),
  };
}
