import { ProviderError } from '../errors/provider-error.js';
import { HUGGINGFACE_PROVIDER } from './huggingface-request.js';

/**
 * What to do with token-level output (one vector per token, `number[][][]`), which models without
 * a sentence-transformers pooling layer return: `'reject'` fails with a clear error (the
 * default, since the right pooling depends on the model), `'mean'` averages the token vectors.
 */
export type HuggingFaceTokenPooling = 'reject' | 'mean';

function isVector(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((x) => typeof x === 'number');
}

function isMatrix(value: unknown): value is number[][] {
  return Array.isArray(value) && value.length > 0 && value.every(isVector);
}

function meanPool(tokens: number[][]): number[] {
  const width = tokens[0]?.length ?? 0;
  const sum = new Array<number>(width).fill(0);
  for (const token of tokens) for (let i = 0; i < width; i++) sum[i]! += token[i] ?? 0;
  return sum.map((x) => x / tokens.length);
}

function shapeError(message: string, received: unknown): ProviderError {
  return new ProviderError({
    kind: 'server',
    retryable: false,
    message: `${HUGGINGFACE_PROVIDER}: ${message}`,
    provider: HUGGINGFACE_PROVIDER,
    received,
  });
}

/**
 * The feature-extraction output for `count` inputs as one vector per input. The API answers
 * `number[][]` (one pooled vector per input), `number[]` (one input, unbatched), or token-level
 * `number[][][]` (per input, one vector per token; `number[][]` of many rows for one input),
 * which is pooled or rejected by `pooling`.
 */
export function toEmbeddingVectors(output: unknown, count: number, pooling: HuggingFaceTokenPooling): number[][] {
  if (count === 1 && isVector(output) && output.length > 0) return [output];
  if (!Array.isArray(output)) throw shapeError('feature extraction returned no array of vectors', output);
  let tokenLevel: number[][][] | undefined;
  if (output.every(isVector) && output.length === count) return output as number[][];
  if (output.every(isMatrix) && output.length === count) tokenLevel = output as number[][][];
  else if (count === 1 && isMatrix(output)) tokenLevel = [output];
  if (tokenLevel === undefined) {
    throw shapeError(`feature extraction returned an array of an unexpected shape for ${count} input(s)`, output);
  }
  if (pooling === 'mean') return tokenLevel.map(meanPool);
  throw new ProviderError({
    kind: 'invalid-request',
    message:
      `${HUGGINGFACE_PROVIDER}: the model returned one vector per token, not one per input: use a sentence-embedding model, ` +
      "or set `tokenPooling: 'mean'` to average the token vectors",
    provider: HUGGINGFACE_PROVIDER,
    received: output,
  });
}
