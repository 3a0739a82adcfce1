import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The LLM-FSM definitions in `../shared/fixtures/fsm-llm` beside the repository (or
 * `$KIT_SHARED_DIR/fixtures/fsm-llm`). Conformance tests read them in place; they are never
 * copied into the project.
 */
export function fsmCorpusDir(): string {
  const shared = process.env.KIT_SHARED_DIR ?? join(repoRoot(), '..', 'shared');
  const dir = join(shared, 'fixtures', 'fsm-llm');
  if (!existsSync(dir)) throw new Error(`LLM-FSM corpus not found at ${dir} (set KIT_SHARED_DIR)`);
  return dir;
}

function repoRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return resolve('.');
  }
}

/** The corpus's definition files, by name. */
export function listCorpusFiles(): string[] {
  return readdirSync(fsmCorpusDir())
    .filter((name) => name.endsWith('.json'))
    .sort();
}

/** A corpus file's text. */
export function readCorpusFile(name: string): string {
  return readFileSync(join(fsmCorpusDir(), name), 'utf8');
}
