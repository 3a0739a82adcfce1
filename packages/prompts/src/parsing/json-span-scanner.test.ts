import { describe, expect, it } from 'vitest';
import { findJsonSpans } from './json-span-scanner.js';

function found(text: string): string[] {
  return findJsonSpans(text).map((span) => text.slice(span.start, span.end));
}

describe('findJsonSpans', () => {
  it('finds an object after a sentence and an array after it', () => {
    expect(found('Here you go: {"a": 1, "b": [true, null]} and also [1, 2.5e3, -0].')).toEqual([
      '{"a": 1, "b": [true, null]}',
      '[1, 2.5e3, -0]',
    ]);
  });

  it('treats brackets and escaped quotes inside strings as text', () => {
    const json = String.raw`{"msg": "a } and a ] and \"quoted {\" text", "path": "C:\\dir\\"}`;
    expect(found(`Result: ${json} done`)).toEqual([json]);
  });

  it('reports the outermost valid span, not the objects nested in it', () => {
    expect(found('{"outer": {"inner": {"deep": []}}}')).toEqual(['{"outer": {"inner": {"deep": []}}}']);
  });

  it('reports a valid object nested in an invalid one', () => {
    expect(found('{ see {"a": 1} and [2] }')).toEqual(['{"a": 1}', '[2]']);
  });

  it('rejects what JSON.parse rejects', () => {
    const invalid = [
      '{a: 1}',
      "{'a': 1}",
      '{"a": 1,}',
      '[1, 2,]',
      '[01]',
      '[1.]',
      '[.5]',
      '[+1]',
      '[NaN]',
      '[undefined]',
      '{"a" 1}',
      '{"a": 1 "b": 2}',
      '{"a"}',
      '[1 2]',
      '["tab\there"]',
      String.raw`["bad \x escape"]`,
      String.raw`["bad \u12G4 escape"]`,
      '{"a": 1]',
    ];
    for (const text of invalid) {
      expect(() => JSON.parse(text), text).toThrow();
      expect(found(text), text).toEqual([]);
    }
  });

  it('accepts what JSON.parse accepts', () => {
    const valid = [
      '[]',
      '{}',
      '[0, -0.5, 1E+2, 3e-4, true, false, null, "x"]',
      String.raw`["\" \\ \/ \b \f \n \r \t \u00e9 \uD83D\uDE00"]`,
      '{"__proto__": {"x": 1}, "": ""}',
      '[\r\n\t {"a" :\n1}\n]',
      '[[[[[[[[[[1]]]]]]]]]]',
    ];
    for (const text of valid) {
      expect(() => JSON.parse(text), text).not.toThrow();
      expect(found(text), text).toEqual([text]);
    }
  });

  it('ends a string at a line break, so a stray quote does not hide later JSON', () => {
    const text = '[He said "hi\n{"a": 1}';
    expect(found(text)).toEqual(['{"a": 1}']);
  });

  it('closes the nearest matching frame on a mismatched closer and ignores a stray one', () => {
    expect(found('[ oops { ] {"a": 1}')).toEqual(['{"a": 1}']);
    expect(found('} ] {"b": 2}')).toEqual(['{"b": 2}']);
    expect(found('{"x": ] 1} [3]')).toEqual(['[3]']);
  });

  it('finds nothing inside JSON that the text cuts short (a truncated reply)', () => {
    const cuts = [
      '{"a": [1, 2], "b": {"c": 2',
      '{"a": [1, 2], "b": ',
      '{"a": [1, 2], "b": "unfinished str',
      '{"a": [1, 2], "b": "escape \\',
      '{"a": [1, 2], "b": "escape \\u00',
      '{"a": [1, 2], "b": tr',
      '{"a": [1, 2], "b": -',
      '{"a": [1, 2], "b": 1.5e+',
      '[{"a": 1}, {"b": 2}, {"c"',
    ];
    for (const text of cuts) expect(found(text), text).toEqual([]);
  });

  it('keeps complete JSON before a truncated value and inside an already invalid one', () => {
    expect(found('{"done": true} then {"items": [1, 2], "next": {"cur')).toEqual(['{"done": true}']);
    expect(found('[see below: {"a": 1} and {"b": [2')).toEqual(['{"a": 1}']);
    // Not a prefix of any JSON, so the arrays inside count.
    expect(found('{"a": [1, 2], "b": 1.e')).toEqual(['[1, 2]']);
    expect(found('{"a": [1, 2], "b": nul1')).toEqual(['[1, 2]']);
  });

  it('scans only the given range', () => {
    const text = '[1] [2] [3]';
    expect(findJsonSpans(text, 3, 8).map((span) => text.slice(span.start, span.end))).toEqual(['[2]']);
  });

  it('stays linear on a megabyte of nested brackets and unclosed quotes', () => {
    expect(findJsonSpans('{['.repeat(500_000))).toEqual([]);
    expect(findJsonSpans('{"['.repeat(350_000))).toEqual([]);
    expect(findJsonSpans('["'.repeat(500_000))).toEqual([]);
    expect(findJsonSpans('[1,'.repeat(350_000))).toEqual([]);
    expect(findJsonSpans('{"a":'.repeat(200_000))).toEqual([]);
    expect(findJsonSpans('x'.repeat(1_000_000))).toEqual([]);
    const deep = `${'['.repeat(500_000)}${']'.repeat(500_000)}`;
    expect(findJsonSpans(deep)).toEqual([{ start: 0, end: deep.length }]);
  });
});
