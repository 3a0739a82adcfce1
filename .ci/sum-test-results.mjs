// Sums every vitest JSON report of this run into CI's closing line, "N passed, N failed".
// A failed step without a failed test (lint, build, a crashed runner) still fails the run.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const failedSteps = Number(process.argv[2] ?? 0);
const reports = [];
const walk = (dir, depth) => {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (!statSync(path).isDirectory()) continue;
    if (name === 'test-results') {
      for (const file of readdirSync(path)) if (file.endsWith('.json')) reports.push(join(path, file));
    } else if (depth < 3) walk(path, depth + 1);
  }
};
walk('.', 0);

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of reports) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that failed to load counts as a failure even though no test in it ran.
  failed += (report.testResults ?? []).filter((suite) => suite.status === 'failed' && (suite.assertionResults ?? []).length === 0).length;
}
console.log(`${reports.length} test reports read`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || failedSteps > 0 || passed === 0 ? 1 : 0);
