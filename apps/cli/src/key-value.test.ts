import { describe, expect, it } from 'vitest';
import { keyValuesToRecord, parseKeyValue } from './key-value.js';

describe('parseKeyValue', () => {
  it('reads JSON values as JSON and anything else as text', () => {
    expect(parseKeyValue('n=3', '--param')).toEqual(['n', 3]);
    expect(parseKeyValue('ok=true', '--param')).toEqual(['ok', true]);
    expect(parseKeyValue('tags=["a","b"]', '--param')).toEqual(['tags', ['a', 'b']]);
    expect(parseKeyValue('name=Ada', '--param')).toEqual(['name', 'Ada']);
    expect(parseKeyValue('eq=a=b', '--param')).toEqual(['eq', 'a=b']);
    expect(parseKeyValue('empty=', '--param')).toEqual(['empty', '']);
    expect(parseKeyValue('q={{ secret }} <|endoftext|>', '--param')).toEqual(['q', '{{ secret }} <|endoftext|>']);
  });

  it('refuses a flag without a key as a usage error', () => {
    expect(() => parseKeyValue('novalue', '--param')).toThrow('--param "novalue" is not key=value');
    expect(() => parseKeyValue('=x', '--param')).toThrow(/not key=value/);
    expect(() => parseKeyValue('__proto__=1', '--param')).toThrow(/no usable key/);
  });

  it('lets a later key win', () => {
    expect(keyValuesToRecord(['a=1', 'b=x', 'a=2'], '--param')).toEqual({ a: 2, b: 'x' });
  });
});
