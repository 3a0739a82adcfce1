import { describe, expect, it } from 'vitest';
import { MissingParametersError } from '../errors/prompt-error.js';
import { checkRequiredParameters } from './parameter-validation.js';

describe('checkRequiredParameters', () => {
  it('throws at error, naming every missing parameter and the template', () => {
    const error = (() => {
      try {
        checkRequiredParameters(['a', 'b', 'c'], { a: 1, b: null }, 'error', 'tmpl');
      } catch (e) {
        return e;
      }
    })() as MissingParametersError;
    expect(error).toBeInstanceOf(MissingParametersError);
    expect(error.missing).toEqual(['b', 'c']);
    expect(error.message).toContain('template "tmpl"');
  });

  it('warns at warn and stays silent at ignore; counts 0, false and "" as present', () => {
    expect(checkRequiredParameters(['a'], {}, 'warn').warnings).toEqual(['missing required parameter: a']);
    expect(checkRequiredParameters(['a'], {}, 'ignore')).toEqual({ missingRequired: ['a'], warnings: [] });
    expect(checkRequiredParameters(['a', 'b', 'c'], { a: 0, b: false, c: '' }, 'error').missingRequired).toEqual([]);
  });
});
