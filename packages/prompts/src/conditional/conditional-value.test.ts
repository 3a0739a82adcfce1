import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatConditionalValue, isFilledConditionalValue } from './conditional-value.js';

describe('formatConditionalValue', () => {
  it('prints strings as they are and null or undefined as nothing', () => {
    expect(formatConditionalValue('{{x}} <|endoftext|>')).toBe('{{x}} <|endoftext|>');
    expect(formatConditionalValue(null)).toBe('');
    expect(formatConditionalValue(undefined)).toBe('');
  });

  it('prints numbers, booleans and bigints as String(v) does', () => {
    expect([1.5, -0, NaN, 1e21, true, false, 12n].map(formatConditionalValue)).toEqual(['1.5', '0', 'NaN', '1e+21', 'true', 'false', '12']);
  });

  it('prints dates as ISO 8601 and an invalid date as Invalid Date', () => {
    expect(formatConditionalValue(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe('2024-01-02T03:04:05.000Z');
    expect(formatConditionalValue(new Date('nope'))).toBe('Invalid Date');
  });

  it('prints arrays, plain objects, maps and sets as compact JSON in insertion order', () => {
    expect(formatConditionalValue(['a', 1, null, 2n])).toBe('["a",1,null,2]');
    expect(formatConditionalValue({ z: 1, a: { d: new Date(0) } })).toBe('{"z":1,"a":{"d":"1970-01-01T00:00:00.000Z"}}');
    expect(formatConditionalValue(Object.assign(Object.create(null), { k: 'v' }))).toBe('{"k":"v"}');
    expect(formatConditionalValue(new Map([['k', 1]]))).toBe('[["k",1]]');
    expect(formatConditionalValue(new Set(['a', 'b']))).toBe('["a","b"]');
  });

  it('survives cycles', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    expect(formatConditionalValue(cyclic)).toBe('{"name":"loop","self":"[Circular]"}');
  });

  it('uses an object’s own toString when it has one, JSON otherwise, never [object Object]', () => {
    expect(formatConditionalValue(new URL('https://example.com/a'))).toBe('https://example.com/a');
    expect(formatConditionalValue(new Error('boom'))).toBe('Error: boom');
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    expect(formatConditionalValue(new Point(1, 2))).toBe('{"x":1,"y":2}');
  });

  it('prints nothing for an object whose toJSON gives undefined', () => {
    expect(formatConditionalValue({ toJSON: () => undefined })).toBe('');
  });

  it('prints symbols by description and functions by name, not source', () => {
    expect(formatConditionalValue(Symbol('tag'))).toBe('Symbol(tag)');
    expect(formatConditionalValue(function greet() {})).toBe('[function greet]');
  });
});

describe('isFilledConditionalValue', () => {
  const labelled = (values: unknown[]) => values.map((value) => [inspect(value), value] as const);

  it.each(labelled([undefined, null, '', '  \n', 0, -0, NaN, 0n, false, [], {}, new Map(), new Set()]))('%s is not filled', (_label, value) => {
    expect(isFilledConditionalValue(value)).toBe(false);
  });

  it.each(labelled(['0', 'x', 1, -1, 1n, true, [0], { a: undefined }, new Date(0), new Map([[1, 1]]), new URL('https://example.com')]))('%s is filled', (_label, value) => {
    expect(isFilledConditionalValue(value)).toBe(true);
  });
});
