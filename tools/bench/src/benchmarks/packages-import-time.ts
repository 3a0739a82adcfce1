import { median, type Benchmark, type BenchmarkResult } from '../harness.js';
import { importTimeMs } from './import-time.js';

/** Each package's budget for `import('<package>')` in a fresh process, from issue #9. */
export const PACKAGE_IMPORT_BUDGETS_MS: Readonly<Record<string, number>> = {
  '@kit/llm': 100,
  '@kit/prompts': 120,
  '@kit/conversations': 120,
  '@kit/fsm': 150,
};

/**
 * `packages.import-time.<name>`: `import('@kit/<name>')` in a fresh Node process, one row per
 * package. The imports resolve from this folder through the workspace links to each package's
 * built `dist/` (plain Node: no `@kit/source` condition), as an installed package would. Every
 * round spawns the baseline (`zod` alone, the dependency all four share) and each package once,
 * in an order that rotates by round, so drift in machine load hits them alike.
 */
export const packagesImportTimeBenchmark: Benchmark = {
  name: 'packages.import-time',
  async run({ quick }): Promise<BenchmarkResult[]> {
    const runs = quick ? 7 : 21;
    const subjects = ['zod', ...Object.keys(PACKAGE_IMPORT_BUDGETS_MS)];
    const samples = new Map<string, number[]>(subjects.map((subject) => [subject, []]));
    for (const subject of subjects) importTimeMs(subject); // warm the file system cache
    for (let round = 0; round < runs; round++) {
      for (let i = 0; i < subjects.length; i++) {
        const subject = subjects[(i + round) % subjects.length]!;
        samples.get(subject)!.push(importTimeMs(subject));
      }
    }
    const baseline = median(samples.get('zod')!);
    return Object.entries(PACKAGE_IMPORT_BUDGETS_MS).map(([name, budgetMs]) => {
      const value = median(samples.get(name)!);
      return {
        name: `packages.import-time.${name.slice('@kit/'.length)}`,
        value,
        unit: 'ms',
        baseline,
        ratio: value / baseline,
        budget: `< ${budgetMs} ms`,
        pass: value < budgetMs,
        note: `median of ${runs} fresh processes importing the built ${name} (dist, as installed); baseline: import('zod') alone, same rounds`,
      };
    });
  },
};
