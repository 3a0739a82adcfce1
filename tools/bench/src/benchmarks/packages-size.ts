import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { z } from 'zod';
import type { Benchmark, BenchmarkResult } from '../harness.js';

/** The budget of the `@kit/llm` core: the JavaScript `import('@kit/llm')` loads, unpacked. */
export const LLM_CORE_BUDGET_KB = 150;

const PACKAGES = ['@kit/llm', '@kit/prompts', '@kit/conversations', '@kit/fsm'] as const;

const packOutputSchema = z
  .array(z.looseObject({ size: z.number(), unpackedSize: z.number(), files: z.array(z.looseObject({ path: z.string(), size: z.number() })) }))
  .length(1);

/** What `npm pack` would put in a package's tarball. */
export interface PackSummary {
  /** Bytes of the `.tgz`. */
  size: number;
  /** Bytes of every file, unpacked. */
  unpackedSize: number;
  files: { path: string; size: number }[];
}

/** `npm pack --dry-run` of the package in `dir`: sizes without writing a tarball. */
export function packSummary(dir: string): PackSummary {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [summary] = packOutputSchema.parse(JSON.parse(out));
  return { size: summary!.size, unpackedSize: summary!.unpackedSize, files: summary!.files.map(({ path, size }) => ({ path, size })) };
}

// rolldown writes one import or re-export per line start, its specifiers in double quotes.
const STATIC_RELATIVE_IMPORT = /^(?:import|export)\b[^;]*?\bfrom\s*"(\.{1,2}\/[^"]+)"|^import\s*"(\.{1,2}\/[^"]+)"/gm;

/**
 * The files a bundle entry loads with it: the entry and, transitively, every chunk it imports
 * statically. `import()` chunks are left out: they load only when called (the provider subpaths).
 */
export function staticImportClosure(entry: string, read: (path: string) => string): string[] {
  const seen = new Set<string>();
  const pending = [posix.normalize(entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of read(file).matchAll(STATIC_RELATIVE_IMPORT)) pending.push(posix.join(posix.dirname(file), (match[1] ?? match[2])!));
  }
  return [...seen].sort();
}

const kb = (bytes: number) => bytes / 1000;

/**
 * `packages.size.<name>`: each package's tarball as `npm pack` would make it (packed size, and
 * unpacked as the baseline), printed with no budget; and `packages.size.llm-core`: the
 * JavaScript that `import('@kit/llm')` loads, against 150 KB.
 */
export const packagesSizeBenchmark: Benchmark = {
  name: 'packages.size',
  async run(): Promise<BenchmarkResult[]> {
    const require = createRequire(import.meta.url);
    const rows: BenchmarkResult[] = [];
    for (const name of PACKAGES) {
      const dir = dirname(realpathSync(require.resolve(`${name}/package.json`)));
      const summary = packSummary(dir);
      rows.push({
        name: `packages.size.${name.slice('@kit/'.length)}`,
        value: kb(summary.size),
        unit: 'KB',
        baseline: kb(summary.unpackedSize),
        ratio: summary.size / summary.unpackedSize,
        budget: 'printed',
        pass: true,
        note: `npm pack of ${name}: ${summary.files.length} files, ${kb(summary.size).toFixed(1)} KB packed; baseline: the same files unpacked (JavaScript, source maps, declarations and the TypeScript sources the maps point to)`,
      });
      if (name !== '@kit/llm') continue;

      const shipped = new Map(summary.files.map((file) => [file.path, file.size]));
      const manifest = z.looseObject({ exports: z.looseObject({ '.': z.looseObject({ import: z.string() }) }) }).parse(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')));
      const core = staticImportClosure(manifest.exports['.'].import, (path) => {
        if (!shipped.has(path)) throw new Error(`${name}: ${path} is imported by its main entry but not in the tarball`);
        return readFileSync(join(dir, path), 'utf8');
      });
      const coreBytes = core.reduce((sum, path) => sum + shipped.get(path)!, 0);
      rows.push({
        name: 'packages.size.llm-core',
        value: kb(coreBytes),
        unit: 'KB',
        baseline: kb(summary.unpackedSize),
        ratio: coreBytes / summary.unpackedSize,
        budget: `< ${LLM_CORE_BUDGET_KB} KB`,
        pass: kb(coreBytes) < LLM_CORE_BUDGET_KB,
        note:
          `the JavaScript import('@kit/llm') loads, unpacked: ${core.join(', ')}. Left out: the provider, testing and redis subpaths ` +
          `(loaded only when imported; their SDKs are optional peers), source maps, declarations, sources, and dependencies ` +
          `(zod, tiktoken, lru-cache, safe-stable-stringify); baseline: the whole package unpacked`,
      });
    }
    return rows;
  },
};
