import { z } from 'zod';
import { InvalidExperimentError } from './invalid-experiment-error.js';
import { lazySchema } from '../../lazy-schema.js';

/** A variant of an experiment and its relative share of traffic. */
export interface WeightedVariant {
  /** The variant's id: a non-empty string, unique within the experiment. */
  id: string;
  /** Relative weight: `{ a: 1, b: 1 }` and `{ a: 50, b: 50 }` both split evenly. 0 turns a variant off. */
  weight: number;
}

// Weights are checked by hand below so that each failure gets its own `reason` (zod's number
// rejects NaN and Infinity as a type error).
const variantsSchema = lazySchema(() =>
  z.array(
    z.object({
      id: z.string('must be a string').min(1, 'a variant id must not be empty'),
      weight: z.custom<number>((value) => typeof value === 'number', 'must be a number'),
    }),
    'expected an array of { id, weight }',
  ),
);

/**
 * Scales the weights to sum to 1, keeping the variants' order (which fixes their slices of the
 * assignment range). Returns new objects.
 *
 * @throws InvalidExperimentError with `reason` `too-few-variants` (under 2), `duplicate-variant`,
 *   `negative-weight`, `non-finite-weight`, `all-zero-weights`, or `invalid-input` when the
 *   argument is not an array of `{ id: non-empty string, weight: number }`.
 * @example normaliseWeights([{ id: 'a', weight: 50 }, { id: 'b', weight: 30 }, { id: 'c', weight: 20 }])
 * // [{ id: 'a', weight: 0.5 }, { id: 'b', weight: 0.3 }, { id: 'c', weight: 0.2 }]
 */
export function normaliseWeights(variants: readonly WeightedVariant[]): WeightedVariant[] {
  const parsed = variantsSchema().safeParse(variants);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
    throw new InvalidExperimentError('invalid-input', `invalid variants${where}: ${issue?.message ?? 'expected an array of { id, weight }'}`);
  }
  const list = parsed.data;
  if (list.length < 2) throw new InvalidExperimentError('too-few-variants', `an experiment needs at least 2 variants, got ${list.length}`);
  const seen = new Set<string>();
  let total = 0;
  for (const { id, weight } of list) {
    if (seen.has(id)) throw new InvalidExperimentError('duplicate-variant', `variant ${JSON.stringify(id)} appears more than once`);
    seen.add(id);
    if (!Number.isFinite(weight)) throw new InvalidExperimentError('non-finite-weight', `variant ${JSON.stringify(id)} has weight ${weight}`);
    if (weight < 0) throw new InvalidExperimentError('negative-weight', `variant ${JSON.stringify(id)} has negative weight ${weight}`);
    total += weight;
  }
  if (total === 0) throw new InvalidExperimentError('all-zero-weights', 'at least one variant needs a positive weight');
  return list.map(({ id, weight }) => ({ id, weight: weight / total }));
}
