/**
 * The unit vector in the direction of `vector`. A zero vector stays all zeros, so it scores 0
 * against everything instead of producing NaN. Values are scaled by the largest magnitude
 * first, so very large or very small components neither overflow nor underflow the norm.
 */
export function normalizeVector(vector: readonly number[]): Float64Array {
  let largest = 0;
  for (const value of vector) largest = Math.max(largest, Math.abs(value));
  const unit = new Float64Array(vector.length);
  if (largest === 0) return unit;
  let norm = 0;
  for (const value of vector) norm += (value / largest) ** 2;
  norm = Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) unit[i] = vector[i]! / largest / norm;
  return unit;
}

/** The dot product of two vectors of the same length; of unit vectors, their cosine similarity. */
export function dotProduct(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
