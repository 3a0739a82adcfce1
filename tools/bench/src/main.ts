import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchmarks } from './benchmarks/index.js';
import type { BenchmarkResult } from './harness.js';
import { formatTable, writeResults } from './report.js';

function repoRoot(start: string): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return resolve(start);
  }
}

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    filter: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`Usage: npm run bench -- [--quick] [--filter <name-prefix>]

Runs every benchmark (or those whose name starts with --filter), prints one row each and writes
bench-results/latest.json. A budget miss fails the run, except in --quick mode (CI), where it is
printed as FAIL. A benchmark that throws (a wrong result, say) fails the run in either mode. A
benchmark that needs PostgreSQL and Redis (KIT_PG_URL, KIT_REDIS_URL) and cannot reach them is
printed as SKIP: that fails the run only under CI=true, where the services are always there.`);
  process.exit(0);
}

const quick = values.quick;
const selected = benchmarks.filter((b) => values.filter === undefined || b.name.startsWith(values.filter));
const results: BenchmarkResult[] = [];
let crashed = 0;
for (const benchmark of selected) {
  process.stderr.write(`running ${benchmark.name}${quick ? ' (quick)' : ''}...\n`);
  try {
    results.push(...(await benchmark.run({ quick })));
  } catch (error) {
    crashed++;
    console.error(`${benchmark.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}

console.log(formatTable(results));
for (const r of results) if (r.note) console.log(`  ${r.name}: ${r.note}`);
const file = writeResults(results, join(repoRoot(process.cwd()), 'bench-results'));
console.log(`results written to ${file}`);
// A row skipped for want of a service fails nothing locally (its SKIP line says why), but CI
// provides every service, so there a skip means a broken set-up and fails the run.
const skipped = results.filter((r) => r.skipped === true);
for (const r of skipped) console.error(`!! ${r.name} was SKIPPED: ${r.note ?? 'no reason given'}`);
const misses = results.filter((r) => !r.pass && r.skipped !== true).length;
if (crashed > 0) process.exitCode = 1;
else if (skipped.length > 0 && process.env['CI'] === 'true') process.exitCode = 1;
else if (misses > 0 && !quick) process.exitCode = 1;
