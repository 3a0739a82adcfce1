import { createHash } from 'node:crypto';

/**
 * A repeatable embedding for tests and offline use: the same text always gives the same unit
 * vector. Built by feature hashing of lower-cased words and character trigrams, so texts sharing
 * words also tend to land close together, though nothing promises that.
 */
export function deterministicEmbedding(text: string, dimensions = 64): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const features: string[] = [];
  for (const word of words) {
    features.push(`w:${word}`);
    const padded = ` ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) features.push(`t:${padded.slice(i, i + 3)}`);
  }
  if (features.length === 0) features.push(`x:${text}`);
  for (const feature of features) {
    const digest = createHash('sha256').update(feature).digest();
    const index = digest.readUInt32BE(0) % dimensions;
    const sign = (digest[4]! & 1) === 0 ? 1 : -1;
    vector[index]! += sign * (feature.startsWith('w:') ? 2 : 1);
  }
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm === 0) {
    // Every feature cancelled out; fall back to one hashed axis so the vector stays a unit vector.
    vector[createHash('sha256').update(text).digest().readUInt32BE(0) % dimensions] = 1;
    return vector;
  }
  return vector.map((v) => v / norm);
}
