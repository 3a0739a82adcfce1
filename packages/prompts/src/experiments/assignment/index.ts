// Sticky, weighted assignment of units to experiment variants.
export { InvalidExperimentError, type InvalidExperimentReason } from './invalid-experiment-error.js';
export { normaliseWeights, type WeightedVariant } from './normalise-weights.js';
export { assignmentBucket } from './assignment-bucket.js';
export { assignVariant } from './assign-variant.js';
