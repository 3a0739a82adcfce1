import { usageError } from './cli-error.js';

/** Where data lives, as `--store` names it. */
export type StoreSpec =
  | { kind: 'sqlite'; path: string }
  | { kind: 'memory' }
  | {
      kind: 'postgres';
      /** The connection URL, without Kit's own `schema` parameter. */
      url: string;
      /** The PostgreSQL schema holding Kit's tables (`?schema=name`); default `public`. */
      schema?: string | undefined;
    };

/** The store when `--store` is not given (and `KIT_STORE` is not set). */
export const DEFAULT_STORE_SPEC = 'sqlite:./kit.db';

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FORMS = '`sqlite:<path>`, `memory`, or a `postgres://` / `postgresql://` URL';

/**
 * Parses a store spec: `sqlite:<path>` (a SQLite file, created if missing), `memory` (this
 * process only), or `postgres://…` / `postgresql://…` (optionally `?schema=<name>`). Anything
 * else is a usage error naming the accepted forms.
 *
 * @example
 * parseStoreSpec('sqlite:./kit.db'); // { kind: 'sqlite', path: './kit.db' }
 */
export function parseStoreSpec(text: string): StoreSpec {
  const spec = text.trim();
  if (spec === 'memory') return { kind: 'memory' };
  if (spec.startsWith('sqlite:')) {
    const path = spec.slice('sqlite:'.length);
    if (path === '') throw usageError(`store spec "${spec}" names no file: write sqlite:<path>, e.g. sqlite:./kit.db`);
    return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(spec)) {
    let url: URL;
    try {
      url = new URL(spec);
    } catch {
      throw usageError(`store spec "${redactStoreSpec(spec)}" is not a valid URL`);
    }
    const schema = url.searchParams.get('schema') ?? undefined;
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
      throw usageError(`schema "${schema}" in the store URL must be letters, digits and _, not starting with a digit`);
    }
    url.searchParams.delete('schema');
    return { kind: 'postgres', url: url.toString(), schema };
  }
  throw usageError(`unknown store spec "${redactStoreSpec(spec)}": use ${FORMS}`);
}

/** A store spec as it can be printed: a URL's password replaced by `****`. */
export function redactStoreSpec(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]*:)[^@/\s]*@/i, '$1****@');
}

/** Whether printing `text` would show a password. */
export function storeSpecHasPassword(text: string): boolean {
  return redactStoreSpec(text) !== text;
}

/** A memory store is empty in every new process: commands that only read one refuse it. */
export function requirePersistentStore(spec: StoreSpec, command: string): asserts spec is Exclude<StoreSpec, { kind: 'memory' }> {
  if (spec.kind === 'memory') {
    throw usageError(`${command} reads a store another process wrote, and a memory store is empty in every new process: use sqlite:<path> or a postgres:// URL`);
  }
}
