import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { parseStoreSpec, redactStoreSpec, requirePersistentStore, storeSpecHasPassword } from './store-spec.js';

describe('parseStoreSpec', () => {
  it('reads the three forms', () => {
    expect(parseStoreSpec('sqlite:./kit.db')).toEqual({ kind: 'sqlite', path: './kit.db' });
    expect(parseStoreSpec('sqlite:/tmp/a b.db')).toEqual({ kind: 'sqlite', path: '/tmp/a b.db' });
    expect(parseStoreSpec('memory')).toEqual({ kind: 'memory' });
    expect(parseStoreSpec('postgres://postgres@127.0.0.1:5432/test')).toEqual({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test', schema: undefined });
    expect(parseStoreSpec('postgres://u:p%40ss@h:5/db?schema=s')).toEqual({ kind: 'postgres', url: 'postgres://u:p%40ss@h:5/db', schema: 's' });
    expect(parseStoreSpec('postgresql://u@h/db?schema=kit_1&sslmode=disable')).toEqual({ kind: 'postgres', url: 'postgresql://u@h/db?sslmode=disable', schema: 'kit_1' });
  });

  it('refuses anything else as a usage error naming the forms', () => {
    for (const bad of ['redis://x', 'kit.db', 'sqlite:', 'mysql://a', '']) {
      const error = (() => {
        try {
          parseStoreSpec(bad);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error, bad).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(2);
    }
    expect(() => parseStoreSpec('redis://x')).toThrow(/unknown store spec "redis:\/\/x": use `sqlite:<path>`, `memory`/);
    expect(() => parseStoreSpec('postgres://u@h/db?schema=1; drop')).toThrow(/schema "1; drop"/);
  });

  it('never repeats a password', () => {
    expect(redactStoreSpec('postgres://kit:s3cret@db:5432/x')).toBe('postgres://kit:****@db:5432/x');
    expect(storeSpecHasPassword('postgres://kit:s3cret@db/x')).toBe(true);
    expect(storeSpecHasPassword('postgres://kit@db/x')).toBe(false);
    expect(() => parseStoreSpec('mysql://kit:s3cret@db/x')).toThrow(/mysql:\/\/kit:\*\*\*\*@db\/x/);
  });

  it('refuses a memory store to commands that read what another process wrote', () => {
    expect(() => requirePersistentStore(parseStoreSpec('memory'), 'kit conversations list')).toThrow(/memory store is empty/);
    expect(() => requirePersistentStore(parseStoreSpec('sqlite:x.db'), 'kit conversations list')).not.toThrow();
  });
});
