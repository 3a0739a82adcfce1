import type * as Crypto from 'node:crypto';
import { lazyDependency, require } from '../../lazy-dependency.js';
import { InvalidExperimentError } from './invalid-experiment-error.js';

// Loaded with the first assignment, not at import (see lazy-dependency.ts).
const loadCrypto = lazyDependency<typeof Crypto>(() => require('node:crypto'));

/** 2^52: 52 bits of the hash fill a double's mantissa exactly, so every bucket is exact. */
const BUCKET_RANGE = 2 ** 52;
// A lone UTF-16 surrogate has no UTF-8 form (it would encode as U+FFFD and collide with others).
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The unit's position in [0, 1) for an experiment: the first 52 bits of
 * `sha256(len(experimentId) ‖ experimentId ‖ len(unitId) ‖ unitId)` divided by 2^52, with each
 * id UTF-8 encoded and its byte length as a 4-byte big-endian prefix. The length prefixes make
 * the encoding unambiguous (`("ab", "c")` and `("a", "bc")` hash differently); hashing the
 * experiment id with the unit id makes a unit's buckets in different experiments independent.
 * The ids are data: any characters are allowed, none has a special meaning.
 *
 * Any system can reproduce a bucket from this description (e.g. to assign in another language).
 *
 * @throws InvalidExperimentError (`invalid-id`) for an id that is not a non-empty, well-formed string.
 */
export function assignmentBucket(experimentId: string, unitId: string): number {
  checkId('experimentId', experimentId);
  checkId('unitId', unitId);
  const experimentBytes = Buffer.byteLength(experimentId, 'utf8');
  const unitBytes = Buffer.byteLength(unitId, 'utf8');
  const message = Buffer.allocUnsafe(8 + experimentBytes + unitBytes);
  message.writeUInt32BE(experimentBytes, 0);
  message.write(experimentId, 4, 'utf8');
  message.writeUInt32BE(unitBytes, 4 + experimentBytes);
  message.write(unitId, 8 + experimentBytes, 'utf8');
  const digest = loadCrypto().createHash('sha256').update(message).digest();
  // 32 bits, then the top 20 of the next 32.
  return (digest.readUInt32BE(0) * 2 ** 20 + (digest.readUInt32BE(4) >>> 12)) / BUCKET_RANGE;
}

function checkId(name: string, id: unknown): void {
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidExperimentError('invalid-id', `${name} must be a non-empty string, got ${typeof id === 'string' ? 'an empty string' : typeof id}`);
  }
  if (LONE_SURROGATE.test(id)) throw new InvalidExperimentError('invalid-id', `${name} contains a lone UTF-16 surrogate`);
  // No length check for the 32-bit prefix: V8 strings stop at 2^29 UTF-16 units, at most 1.6 GB of UTF-8.
}
