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
 * Bundles a TypeScript worker (and the Kit sources it imports, through the `@kit/source` export
 * condition) into one ESM file, so a test can run it as a separate `node` process without a prior
 * build: Node 20 cannot run TypeScript, and vitest's transform exists only inside vitest.
 *
 * Other npm packages stay imports: the output goes under the nearest `node_modules/.cache/`, from
 * where Node resolves them as the sources would. Takes well under a second; do it once per test file.
 */
export async function bundleTestWorker(entry: string, options: { inlinePackages?: readonly string[] } = {}): Promise<BundledWorker> {
  // zod is inlined by default: one file loads in half the time of zod's many modules, and a crash
  // test starts its worker dozens of times. Native modules (better-sqlite3) must stay imports.
  const inline = options.inlinePackages ?? ['zod'];
  const isInlined = (id: string) => inline.some((name) => id === name || id.startsWith(`${name}/`));
  const outDir = join(nearestNodeModules(dirname(entry)), '.cache', 'kit-test-workers', randomUUID());
  await mkdir(outDir, { recursive: true });
  await build({
    input: entry,
    platform: 'node',
    logLevel: 'warn',
    // Bundle relative and @kit/* imports (from source); leave npm packages and node: builtins to Node.
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(id) && !id.startsWith('@kit/') && !isInlined(id),
    resolve: { conditionNames: ['@kit/source', 'import', 'node', 'default'] },
    output: { dir: outDir, format: 'esm', entryFileNames: 'worker.mjs', chunkFileNames: '[name]-[hash].mjs' },
  });
  return {
    file: join(outDir, 'worker.mjs'),
    cleanup: () => rm(outDir, { recursive: true, force: true }),
  };
}
