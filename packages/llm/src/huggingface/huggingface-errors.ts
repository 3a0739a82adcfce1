import type { InferenceClientHubApiError, InferenceClientProviderApiError } from '@huggingface/inference';
import { classifyError, providerErrorFromHttp } from '../errors/classify-error.js';
import { KitError } from '../errors/kit-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { HUGGINGFACE_PROVIDER } from './huggingface-request.js';
import { huggingFaceSdk } from './huggingface-sdk.js';

const provider = HUGGINGFACE_PROVIDER;

/**
 * The status TGI's `error_type` stands for, for an error that arrives inside a stream (HTTP 200):
 * `validation` (which includes "`inputs` tokens + `max_new_tokens` must be <= N"), template and
 * tokenizer errors are the request's fault; `overloaded` is a busy server.
 */
const STATUS_BY_ERROR_TYPE: Record<string, number> = {
  validation: 422,
  template_error: 422,
  tokenizer: 422,
  overloaded: 503,
};

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The SDK's message without its "Failed to perform inference: " preamble. */
function sdkDetail(error: Error): string {
  return error.message.replace(/^Failed to perform inference:\s*/, '');
}

/**
 * Headers for classification: the recorded response headers, plus a `retry-after` taken from the
 * `estimated_time` that a 503 "model is loading" body gives, when the server sent none.
 */
function headersWithEstimate(headers: Headers | undefined, body: unknown): Headers | undefined {
  const estimate = record(body)?.['estimated_time'];
  if (typeof estimate !== 'number' || !(estimate >= 0)) return headers;
  if (headers?.has('retry-after') || headers?.has('retry-after-ms')) return headers;
  const out = new Headers(headers);
  out.set('retry-after', String(Math.ceil(estimate)));
  return out;
}

function fromHttpError(error: InferenceClientProviderApiError | InferenceClientHubApiError, headers: Headers | undefined): ProviderError {
  const { status, body } = error.httpResponse;
  if (status >= 400) {
    const hasBody = body !== '' && body !== null && body !== undefined;
    return providerErrorFromHttp({
      status,
      body,
      headers: headersWithEstimate(headers, body),
      provider,
      // A body the SDK could not read (not JSON) leaves only its own message.
      message: hasBody ? undefined : sdkDetail(error),
      cause: error,
    });
  }
  // An `error` event inside a 200 stream: classify by TGI's error_type, keep no status.
  const errorType = record(body)?.['error_type'];
  const like = providerErrorFromHttp({
    status: (typeof errorType === 'string' ? STATUS_BY_ERROR_TYPE[errorType] : undefined) ?? 500,
    body,
    provider,
  });
  return new ProviderError({
    kind: like.kind,
    message: `${provider}: the stream reported an error: ${sdkDetail(error)}`,
    provider,
    retryable: like.retryable,
    cause: error,
  });
}

/**
 * The SDK's errors as Kit's. HTTP failures are classified by status and body (with the response
 * headers the model recorded, since the SDK drops them), errors inside a stream by TGI's
 * `error_type`, bad arguments and routing as `invalid-request`, unreadable replies as `server`,
 * connection failures as `network` and aborts as `aborted`.
 */
export function mapHuggingFaceError(error: unknown, signal?: AbortSignal, responseHeaders?: Headers): Error {
  if (error instanceof KitError) return error;
  if (signal?.aborted) return classifyError(error, provider, signal);
  if (error instanceof huggingFaceSdk.InferenceClientProviderApiError || error instanceof huggingFaceSdk.InferenceClientHubApiError) {
    return fromHttpError(error, responseHeaders);
  }
  if (error instanceof huggingFaceSdk.InferenceClientInputError || error instanceof huggingFaceSdk.InferenceClientRoutingError) {
    return new ProviderError({ kind: 'invalid-request', message: `${provider}: ${error.message}`, provider, cause: error });
  }
  if (error instanceof huggingFaceSdk.InferenceClientProviderOutputError) {
    return new ProviderError({ kind: 'server', retryable: false, message: `${provider}: ${error.message}`, provider, cause: error });
  }
  if (error instanceof SyntaxError) {
    return new ProviderError({
      kind: 'server',
      message: `${provider}: a reply or stream line is not valid JSON: ${error.message}`,
      provider,
      cause: error,
    });
  }
  return classifyError(error, provider, signal);
}
