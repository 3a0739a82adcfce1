import { describe, expect, it } from 'vitest';
import { ConversationStoreError } from '../conversation-errors.js';
import { CONVERSATION_SCHEMA_VERSION } from '../conversation-record.js';
import { defaultSchemaMigrations, SchemaMigrations, type SchemaMigration } from './schema-migrations.js';
import { compareSchemaVersions, formatSchemaVersion, parseSchemaVersion } from './schema-version.js';

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConversationStoreError);
    return (error as ConversationStoreError).reason;
  }
  return undefined;
}

const step = (from: string, to: string, migrate: SchemaMigration['migrate'] = (record) => record): SchemaMigration => ({
  kind: 'node',
  from,
  to,
  description: `${from} to ${to}`,
  migrate,
});

describe('schema versions', () => {
  it('compare numerically, part by part', () => {
    const v = parseSchemaVersion;
    expect(compareSchemaVersions(v('1.10'), v('1.9'))).toBeGreaterThan(0);
    expect(compareSchemaVersions(v('2.0'), v('1.99'))).toBeGreaterThan(0);
    expect(compareSchemaVersions(v('0.9'), v('1.0'))).toBeLessThan(0);
    expect(compareSchemaVersions(v('1.2'), v('01.02'))).toBe(0);
    expect(formatSchemaVersion(v('01.02'))).toBe('1.2');
  });

  it.each(['1', '1.0.0', 'v1.0', '1.x', '', ' 1.0', 1, null, undefined])('refuse %j as corrupt', (version) => {
    expect(reasonOf(() => parseSchemaVersion(version))).toBe('corrupt');
  });
});

describe('SchemaMigrations', () => {
  it('returns a current or newer-minor record as it is', () => {
    const registry = new SchemaMigrations();
    const current = { schemaVersion: CONVERSATION_SCHEMA_VERSION, id: 'a' };
    expect(registry.migrate('node', current)).toBe(current);
    const newerMinor = { schemaVersion: '1.7', id: 'a', extra: true };
    expect(registry.migrate('node', newerMinor)).toBe(newerMinor);
  });

  it('runs a chain of steps in order, setting each step’s version, without touching the input', () => {
    const seen: string[] = [];
    const registry = new SchemaMigrations([
      step('0.9', '1.0', (record) => {
        seen.push(`0.9:${String(record['schemaVersion'])}`);
        return { ...record, b: 2 };
      }),
      step('0.8', '0.9', (record) => {
        seen.push(`0.8:${String(record['schemaVersion'])}`);
        record['a'] = 1;
        return record;
      }),
    ]);
    const input = { schemaVersion: '0.8', id: 'x' };
    expect(registry.migrate('node', input)).toEqual({ schemaVersion: '1.0', id: 'x', a: 1, b: 2 });
    expect(seen).toEqual(['0.8:0.8', '0.9:0.9']);
    expect(input).toEqual({ schemaVersion: '0.8', id: 'x' });
    // Steps are per kind: a header at 0.8 has no chain.
    expect(reasonOf(() => registry.migrate('header', { schemaVersion: '0.8' }))).toBe('unsupported-schema');
  });

  it('reads an older minor of the current major as it is when no step starts there, after the steps that do', () => {
    const registry = new SchemaMigrations([step('1.0', '1.1', (record) => ({ ...record, added: true }))], '1.3');
    expect(registry.migrate('node', { schemaVersion: '1.0' })).toEqual({ schemaVersion: '1.1', added: true });
    expect(registry.migrate('node', { schemaVersion: '1.2', id: 'y' })).toEqual({ schemaVersion: '1.2', id: 'y' });
  });

  it('refuses an older major without a chain, and any newer major, as unsupported-schema', () => {
    const registry = new SchemaMigrations();
    let error: unknown;
    try {
      registry.migrate('node', { schemaVersion: '0.9' }, 'conv-1');
    } catch (caught) {
      error = caught;
    }
    expect((error as ConversationStoreError).reason).toBe('unsupported-schema');
    expect((error as Error).message).toBe('no migration brings a node from schema 0.9 to 1.0 (conversation "conv-1")');
    expect(reasonOf(() => registry.migrate('header', { schemaVersion: '2.0' }))).toBe('unsupported-schema');
    expect(reasonOf(() => registry.assertReadable('10.0', 'a record'))).toBe('unsupported-schema');
    expect(registry.assertReadable('1.99', 'a record')).toEqual({ major: 1, minor: 99 });
  });

  it('turns a failing step or a record that is not an object into corrupt', () => {
    const registry = new SchemaMigrations([
      step('0.9', '1.0', () => {
        throw new Error('no message field');
      }),
    ]);
    let error: unknown;
    try {
      registry.migrate('node', { schemaVersion: '0.9' });
    } catch (caught) {
      error = caught;
    }
    expect((error as ConversationStoreError).reason).toBe('corrupt');
    expect((error as Error).message).toMatch(/0\.9 -> 1\.0 \(0\.9 to 1\.0\) failed: no message field/);
    expect(((error as Error).cause as Error).message).toBe('no message field');
    expect(reasonOf(() => registry.migrate('node', [1, 2]))).toBe('corrupt');
    expect(reasonOf(() => registry.migrate('node', { id: 'no version' }))).toBe('corrupt');
  });

  it('refuses steps that go backwards, past the current schema, or start twice', () => {
    expect(reasonOf(() => new SchemaMigrations([step('1.0', '0.9')]))).toBe('invalid');
    expect(reasonOf(() => new SchemaMigrations([step('1.0', '1.0')]))).toBe('invalid');
    expect(reasonOf(() => new SchemaMigrations([step('0.9', '1.1')]))).toBe('invalid');
    expect(reasonOf(() => new SchemaMigrations([step('0.9', '1.0'), step('0.9', '0.95')]))).toBe('invalid');
    expect(new SchemaMigrations([step('0.9', '1.0')]).with({ ...step('0.9', '1.0'), kind: 'header' }).steps).toHaveLength(2);
  });

  it('ships no steps: 1.0 is the first schema ever written', () => {
    expect(defaultSchemaMigrations.steps).toEqual([]);
    expect(formatSchemaVersion(defaultSchemaMigrations.current)).toBe(CONVERSATION_SCHEMA_VERSION);
  });
});
