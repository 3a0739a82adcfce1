import { invalidRequestError } from './errors/provider-error.js';
import { parsePlainCompletionRequest } from './request-fast-path.js';
import { completionRequestSchema, embeddingRequestSchema, type CompletionRequest, type EmbeddingRequest } from './types/request.js';

// Requests that already passed validation; a middleware chain validates once, not per layer.
const validated = new WeakSet<object>();

/** Validates a completion request, naming every bad path; returns a checked copy. */
export function parseCompletionRequest(request: CompletionRequest, provider?: string): CompletionRequest {
  if (typeof request === 'object' && request !== null && validated.has(request)) return request;
  let parsed = parsePlainCompletionRequest(request);
  if (parsed === undefined) {
    const result = completionRequestSchema.safeParse(request);
    if (!result.success) throw invalidRequestError('request', result.error.issues, provider);
    parsed = result.data as CompletionRequest;
  }
  validated.add(parsed);
  return parsed;
}

/**
 * A copy of an already validated request with some fields replaced (a middleware's signal, say),
 * still counted as validated. Only for fields whose new values are known to be valid.
 */
export function deriveRequest(request: CompletionRequest, patch: Partial<CompletionRequest>): CompletionRequest {
  // Object.assign, not a spread: much cheaper in Node 20 on this hot path.
  const derived = Object.assign({}, request, patch);
  if (validated.has(request)) validated.add(derived);
  return derived;
}

export function parseEmbeddingRequest(request: EmbeddingRequest, provider?: string): EmbeddingRequest {
  const result = embeddingRequestSchema.safeParse(request);
  if (!result.success) throw invalidRequestError('embedding request', result.error.issues, provider);
  return result.data;
}
