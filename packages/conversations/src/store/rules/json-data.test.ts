import { describe, expect, it } from 'vitest';
import { ConversationStoreError } from '../conversation-errors.js';
import { copyJsonData } from './json-data.js';

function problem(value: unknown): string {
  try {
    copyJsonData(value, 'input');
  } catch (error) {
    expect(error).toBeInstanceOf(ConversationStoreError);
    expect((error as ConversationStoreError).reason).toBe('invalid');
    return (error as Error).message;
  }
  throw new Error('expected copyJsonData to refuse');
}

describe('copyJsonData', () => {
  it('returns a deep copy of plain JSON data, dropping undefined properties', () => {
    const shared = { n: 1 };
    const value = { a: [1, 'two', true, null, { deep: shared }], b: shared, gone: undefined, text: '{{ x }} <|endoftext|>' };
    const copy = copyJsonData(value, 'input');
    expect(copy).toEqual({ a: [1, 'two', true, null, { deep: { n: 1 } }], b: { n: 1 }, text: '{{ x }} <|endoftext|>' });
    expect('gone' in copy).toBe(false);
    expect(copy.b).not.toBe(shared);
    expect(copyJsonData(undefined, 'input')).toBeUndefined();
    expect(copyJsonData(Object.assign(Object.create(null) as object, { k: 1 }), 'input')).toEqual({ k: 1 });
  });

  it('names the first part that JSON cannot hold', () => {
    expect(problem({ when: new Date(0) })).toBe('input.when is a Date, not plain JSON data');
    expect(problem({ list: [1, Number.NaN] })).toBe('input.list[1] is NaN, which JSON cannot hold');
    expect(problem({ n: Number.POSITIVE_INFINITY })).toMatch(/input\.n is Infinity/);
    expect(problem({ f: () => 1 })).toBe('input.f is a function, which JSON cannot hold');
    expect(problem({ big: 1n })).toBe('input.big is a bigint, which JSON cannot hold');
    expect(problem({ m: new Map() })).toBe('input.m is a Map, not plain JSON data');
    expect(problem({ list: [undefined] })).toBe('input.list[0] is undefined, which JSON cannot hold');
    const cycle: Record<string, unknown> = {};
    cycle['self'] = { back: cycle };
    expect(problem(cycle)).toBe('input.self.back refers back to itself');
  });
});
