import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The recorded provider payloads in `../shared/fixtures/providers` beside the repository (or
 * `$KIT_SHARED_DIR/fixtures/providers`). Conformance tests read them in place; they are never
 * copied into the project.
 */
export function providerFixturesDir(): string {
  const shared = process.env.KIT_SHARED_DIR ?? join(repoRoot(), '..', 'shared');
  const dir = join(shared, 'fixtures', 'providers');
  if (!existsSync(dir)) throw new Error(`provider fixtures not found at ${dir} (set KIT_SHARED_DIR)`);
  return dir;
}

function repoRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return resolve('.');
  }
}

export function listProviderFixtures(): string[] {
  return readdirSync(providerFixturesDir())
    .filter((name) => name !== 'README.md')
    .sort();
}

export function readFixture(name: string): string {
  return readFileSync(join(providerFixturesDir(), name), 'utf8');
}

/**
 * The body a replay server should send for a fixture file, in the file's own format:
 * `.json` whole; `.sse` byte for byte; `.chunks.txt` (one `data:` payload per line, prefix, blank
 * lines and `[DONE]` removed) rebuilt as SSE; `.ndjson` line by line.
 */
export function fixtureChunks(name: string, options: { sseDone?: boolean; sseEvent?: (payload: any) => string | undefined } = {}): string[] {
  const text = readFixture(name);
  if (name.endsWith('.sse')) {
    // Split after each blank line so the SDK sees several network chunks, as in life.
    return text.split(/(?<=\n\n)/);
  }
  if (name.endsWith('.chunks.txt')) {
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    const out = lines.map((line) => {
      const event = options.sseEvent?.(JSON.parse(line));
      return `${event === undefined ? '' : `event: ${event}\n`}data: ${line}\n\n`;
    });
    if (options.sseDone ?? true) out.push('data: [DONE]\n\n');
    return out;
  }
  if (name.endsWith('.ndjson')) return text.split(/(?<=\n)/).filter((line) => line.trim() !== '');
  throw new Error(`${name}: not a stream fixture`);
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(readFixture(name));
}
