import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, type Benchmark, type BenchmarkResult } from '../harness.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Milliseconds that `import(specifier)` takes inside a fresh Node process. */
export function importTimeMs(specifier: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: here, encoding: 'utf8' });
  return Number(out);
}

/**
 * The cost of `import('@kit/llm')` in a fresh process, against importing `zod` alone (its one
 * unavoidable dependency) in the same run, alternating the two.
 */
export function importTimeBenchmark(name: string, specifier: string, budgetMs: number): Benchmark {
  return {
    name,
    async run({ quick }): Promise<BenchmarkResult[]> {
      const runs = quick ? 7 : 21;
      const subject: number[] = [];
      const baseline: number[] = [];
      importTimeMs(specifier); // warm the file system cache
      for (let i = 0; i < runs; i++) {
        subject.push(importTimeMs(specifier));
        baseline.push(importTimeMs('zod'));
      }
      const value = median(subject);
      const base = median(baseline);
      return [
        {
          name,
          value,
          unit: 'ms',
          baseline: base,
          ratio: value / base,
          budget: `< ${budgetMs} ms`,
          pass: value < budgetMs,
          note: `median of ${runs} fresh processes; baseline: import('zod') alone`,
        },
      ];
    },
  };
}
