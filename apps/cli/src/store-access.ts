import { existsSync } from 'node:fs';
import { CliError, dataError } from './cli-error.js';
import type { Progress } from './progress.js';
import { redactStoreSpec, type StoreSpec } from './store-spec.js';

/** A spec as the user reads it in messages, without a password. */
export function describeStoreSpec(spec: StoreSpec): string {
  switch (spec.kind) {
    case 'memory':
      return 'memory';
    case 'sqlite':
      return `sqlite:${spec.path}`;
    case 'postgres':
      return redactStoreSpec(spec.url) + (spec.schema === undefined ? '' : ` (schema ${spec.schema})`);
  }
}

/**
 * Opens a store with progress shown, for commands that read: a SQLite file that does not exist
 * is a data error (opening it would create an empty one and hide a typo), and a store that
 * cannot be opened is a run-time failure naming the store.
 */
export async function openForReading<T>(spec: StoreSpec, progress: Progress, open: (spec: StoreSpec) => Promise<T>): Promise<T> {
  if (spec.kind === 'sqlite' && spec.path !== ':memory:' && !existsSync(spec.path)) {
    throw dataError(`no store at ${spec.path}: the SQLite file does not exist`);
  }
  return openStore(spec, progress, open);
}

/** Opens a store with progress shown; a failure names the store (password hidden). */
export async function openStore<T>(spec: StoreSpec, progress: Progress, open: (spec: StoreSpec) => Promise<T>): Promise<T> {
  try {
    // A memory store opens at once: no progress to show.
    return await (spec.kind === 'memory' ? open(spec) : progress.during(`opening ${describeStoreSpec(spec)}`, () => open(spec)));
  } catch (error) {
    if (error instanceof CliError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // Keep the library's typed errors (and their exit codes) when they say what is wrong.
    if (error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && typeof (error as { reason?: unknown }).reason === 'string') throw error;
    throw new CliError('failure', `cannot open the store ${describeStoreSpec(spec)}: ${redactStoreSpec(message)}`, { cause: error });
  }
}
