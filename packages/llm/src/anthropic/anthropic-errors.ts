import type { APIError } from '@anthropic-ai/sdk';
import { classifyError } from '../errors/classify-error.js';
import { KitError } from '../errors/kit-error.js';
import { ProviderError, abortedError, type ProviderErrorKind } from '../errors/provider-error.js';
import { ANTHROPIC_PROVIDER } from './anthropic-request.js';
import { anthropicSdk } from './anthropic-sdk.js';

const CONTEXT_LENGTH = /prompt is too long|context window|too many tokens/i;

/** Anthropic's error `type`s as Kit kinds, for errors that carry no HTTP status (stream `error` events). */
function kindForType(type: string | undefined, message: string): ProviderErrorKind {
  switch (type) {
    case 'invalid_request_error':
      return CONTEXT_LENGTH.test(message) ? 'context-length' : 'invalid-request';
    case 'authentication_error':
    case 'permission_error':
    case 'billing_error':
      return 'auth';
    case 'rate_limit_error':
      return 'rate-limit';
    case 'timeout_error':
      return 'timeout';
    case 'not_found_error':
    case 'request_too_large':
      return 'invalid-request';
    default:
      // overloaded_error, api_error and anything newer: a server-side failure worth retrying.
      return 'server';
  }
}

function errorBody(error: APIError): { type?: string; message?: string } {
  const body = error.error as { error?: { type?: unknown; message?: unknown } } | undefined;
  const inner = body?.error;
  return {
    type: typeof inner?.type === 'string' ? inner.type : (error.type ?? undefined),
    message: typeof inner?.message === 'string' ? inner.message : (error.apiMessage ?? undefined),
  };
}

/**
 * The SDK's errors as Kit's. HTTP failures are classified by status, body and `retry-after`
 * (`classifyError`: 529 overloaded is a retryable server error, "prompt is too long" a context
 * length error); an `error` event inside a stream has no status and is classified by its `type`;
 * connection failures are `network` (`timeout` for the SDK's own timeout), a user abort `aborted`,
 * and a stream line that is not JSON a `server` error.
 */
export function mapAnthropicError(error: unknown, signal?: AbortSignal): Error {
  const provider = ANTHROPIC_PROVIDER;
  if (error instanceof KitError) return error;
  if (error instanceof anthropicSdk.APIUserAbortError || signal?.aborted) return abortedError(provider, error);
  if (error instanceof anthropicSdk.APIConnectionTimeoutError) {
    return new ProviderError({ kind: 'timeout', message: `${provider}: ${error.message}`, provider, cause: error });
  }
  if (error instanceof anthropicSdk.APIConnectionError) {
    return new ProviderError({ kind: 'network', message: `${provider}: ${error.message}`, provider, cause: error });
  }
  if (error instanceof anthropicSdk.APIError && error.status === undefined) {
    const { type, message } = errorBody(error);
    const text = message ?? error.message;
    return new ProviderError({
      kind: kindForType(type, text),
      message: `${provider} stream error${type === undefined ? '' : ` (${type})`}: ${text}`,
      provider,
      // No `received` here: the core fills it with the content that arrived before the event.
      cause: error,
    });
  }
  if (error instanceof anthropicSdk.APIError) return classifyError(error, provider, signal);
  if (error instanceof SyntaxError) {
    return new ProviderError({
      kind: 'server',
      message: `${provider}: the stream held an event that is not JSON: ${error.message}`,
      provider,
      cause: error,
    });
  }
  if (error instanceof anthropicSdk.AnthropicError && /streaming is required/i.test(error.message)) {
    // The SDK refuses a non-streamed call whose max_tokens could take over 10 minutes.
    return new ProviderError({
      kind: 'invalid-request',
      message: `${provider}: ${error.message} (use stream(), or a smaller maxTokens)`,
      provider,
      cause: error,
    });
  }
  return classifyError(error, provider, signal);
}
