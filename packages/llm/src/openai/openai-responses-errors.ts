import { ProviderError, type ProviderErrorKind } from '../errors/provider-error.js';
import { OPENAI_PROVIDER, mapOpenAIError } from './openai-chat-model.js';
import { openaiSdk } from './openai-sdk.js';

/** A failure the Responses API reports in a body rather than by HTTP status: `response.error`, or an `error` stream event. */
export interface OpenAIResponsesFailure {
  /** OpenAI's error code, e.g. `rate_limit_exceeded`; decides the error's kind (none: `server`). */
  code?: string | null | undefined;
  /** OpenAI's message; empty or missing gives a generic one. */
  message?: string | null | undefined;
}

function kindForCode(code: string): { kind: ProviderErrorKind; retryable?: boolean } {
  if (code === 'rate_limit_exceeded') return { kind: 'rate-limit' };
  // An exhausted quota does not clear by waiting.
  if (code === 'insufficient_quota') return { kind: 'rate-limit', retryable: false };
  if (code === 'context_length_exceeded') return { kind: 'context-length' };
  if (/policy|content_filter|safety/.test(code)) return { kind: 'content-filter' };
  if (/^(invalid_|unsupported_|empty_|image_|failed_to_download|data_residency)/.test(code)) return { kind: 'invalid-request' };
  // server_error, vector_store_timeout, and codes not known yet: the API's side, worth a retry.
  return { kind: 'server' };
}

/**
 * A body-reported failure as a `ProviderError`, its kind read from the `code` (`rate_limit_exceeded`
 * is `rate-limit`, `invalid_*` and `image_*` are `invalid-request`, `*policy*` is `content-filter`,
 * anything else `server`).
 */
export function openAIResponsesFailureError(failure: OpenAIResponsesFailure | null | undefined, cause?: unknown): ProviderError {
  const code = failure?.code ?? undefined;
  const message = failure?.message || 'the response failed without a message';
  const { kind, retryable } = code === undefined ? { kind: 'server' as const, retryable: undefined } : kindForCode(code);
  return new ProviderError({
    kind,
    message: `${OPENAI_PROVIDER}: ${message}${code === undefined ? '' : ` (${code})`}`,
    provider: OPENAI_PROVIDER,
    retryable,
    cause,
  });
}

/**
 * The SDK's errors as Kit's, as {@link mapOpenAIError} maps them, except a stream event whose
 * body held an `error` object: the SDK throws that as a status-less `APIError`, and its `code`
 * says more than "server".
 */
export function mapOpenAIResponsesError(error: unknown, signal?: AbortSignal): Error {
  if (
    error instanceof openaiSdk.APIError &&
    error.status === undefined &&
    typeof error.code === 'string' &&
    !(error instanceof openaiSdk.APIConnectionError) &&
    !(error instanceof openaiSdk.APIUserAbortError) &&
    !signal?.aborted
  ) {
    const body = error.error as { message?: unknown } | undefined;
    return openAIResponsesFailureError({ code: error.code, message: typeof body?.message === 'string' ? body.message : error.message }, error);
  }
  return mapOpenAIError(error, signal);
}
