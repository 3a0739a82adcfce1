import { describe, expect, it } from 'vitest';
import { PromptError } from '../../errors/prompt-error.js';
import { InvalidExperimentError, type InvalidExperimentReason } from './invalid-experiment-error.js';
import { normaliseWeights } from './normalise-weights.js';

function reasonOf(run: () => unknown): InvalidExperimentReason | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidExperimentError);
    expect(error).toBeInstanceOf(PromptError);
    expect((error as InvalidExperimentError).code).toBe('invalid-argument');
    return (error as InvalidExperimentError).reason;
  }
  return undefined;
}

describe('normaliseWeights', () => {
  it('scales weights to sum to 1, keeping order and zero weights', () => {
    expect(
      normaliseWeights([
        { id: 'a', weight: 50 },
        { id: 'b', weight: 30 },
        { id: 'c', weight: 20 },
      ]),
    ).toEqual([
      { id: 'a', weight: 0.5 },
      { id: 'b', weight: 0.3 },
      { id: 'c', weight: 0.2 },
    ]);
    expect(normaliseWeights([{ id: 'off', weight: 0 }, { id: 'on', weight: 3 }])).toEqual([
      { id: 'off', weight: 0 },
      { id: 'on', weight: 1 },
    ]);
  });

  it('returns new objects and leaves the input alone', () => {
    const input = [{ id: 'a', weight: 1 }, { id: 'b', weight: 3 }];
    const output = normaliseWeights(input);
    output[0]!.weight = 99;
    expect(input[0]!.weight).toBe(1);
  });

  it('treats template syntax and special tokens in ids as plain text', () => {
    const ids = ['{{ control }}', '<|endoftext|>', '{% if x %}', '((maybe))'];
    expect(normaliseWeights(ids.map((id) => ({ id, weight: 1 }))).map((v) => v.id)).toEqual(ids);
  });

  it('rejects invalid variants with a typed reason', () => {
    expect(reasonOf(() => normaliseWeights([{ id: 'a', weight: -1 }, { id: 'b', weight: 2 }]))).toBe('negative-weight');
    expect(reasonOf(() => normaliseWeights([{ id: 'a', weight: Number.NaN }, { id: 'b', weight: 2 }]))).toBe('non-finite-weight');
    expect(reasonOf(() => normaliseWeights([{ id: 'a', weight: Infinity }, { id: 'b', weight: 2 }]))).toBe('non-finite-weight');
    expect(reasonOf(() => normaliseWeights([{ id: 'a', weight: 0 }, { id: 'b', weight: 0 }]))).toBe('all-zero-weights');
    expect(reasonOf(() => normaliseWeights([{ id: 'a', weight: 1 }, { id: 'a', weight: 2 }]))).toBe('duplicate-variant');
    expect(reasonOf(() => normaliseWeights([{ id: 'a', weight: 1 }]))).toBe('too-few-variants');
    expect(reasonOf(() => normaliseWeights([]))).toBe('too-few-variants');
    expect(reasonOf(() => normaliseWeights([{ id: '', weight: 1 }, { id: 'b', weight: 1 }]))).toBe('invalid-input');
    expect(reasonOf(() => normaliseWeights('a,b' as never))).toBe('invalid-input');
    expect(() => normaliseWeights([{ id: 'a', weight: '1' as never }, { id: 'b', weight: 1 }])).toThrow(/variants\[0\]\.weight/);
  });
});
