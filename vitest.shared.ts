import { defineConfig } from 'vitest/config';

/**
 * The vitest setup every project shares. Tests run from TypeScript sources: the `@kit/source`
 * export condition points each `@kit/*` import at `src/index.ts`, so no build is needed first.
 * Each project writes a JSON report that `.ci/run` sums into its closing line.
 */
export function kitVitestConfig(
  options: { testTimeout?: number; include?: string[]; exclude?: string[]; reportName?: string } = {},
) {
  const conditions = ['@kit/source', 'module', 'node', 'development|production'];
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@kit/source'] } },
    test: {
      include: options.include ?? ['src/**/*.test.ts'],
      // Conformance tests read ../shared and run only under `npm run test:conformance`.
      exclude: options.exclude ?? ['**/node_modules/**', '**/dist/**', '**/*.conformance.test.ts'],
      environment: 'node',
      testTimeout: options.testTimeout ?? 15_000,
      reporters: ['default', 'json'],
      outputFile: { json: `test-results/${options.reportName ?? 'vitest'}.json` },
    },
  });
}
