import { assignmentBucket } from './assignment-bucket.js';
import { normaliseWeights, type WeightedVariant } from './normalise-weights.js';

/**
 * The variant a unit (a user, a session) gets in an experiment: the variants, in the given order,
 * split [0, 1) by their normalised weights, and the unit falls where `assignmentBucket` puts it.
 *
 * Deterministic and sticky — the same unit always gets the same variant in an experiment while
 * the variants and weights stay the same — and independent across experiments. Raising one
 * variant's weight moves only the units at the edges of the slices; reordering variants
 * reshuffles units, so keep the order stable. A variant of weight 0 receives no one.
 *
 * @throws InvalidExperimentError for invalid ids or variants (see `normaliseWeights`).
 * @example assignVariant('checkout-prompt-v2', 'user-42', [{ id: 'control', weight: 1 }, { id: 'concise', weight: 1 }])
 */
export function assignVariant(experimentId: string, unitId: string, variants: readonly WeightedVariant[]): string {
  const normalised = normaliseWeights(variants);
  const bucket = assignmentBucket(experimentId, unitId);
  let cumulative = 0;
  let lastPositive: string | undefined;
  for (const { id, weight } of normalised) {
    if (weight === 0) continue;
    lastPositive = id;
    cumulative += weight;
    if (bucket < cumulative) return id;
  }
  // Rounding can leave the cumulative sum a hair under 1; the top of the range belongs to the last real slice.
  return lastPositive!;
}
