import { KitError } from './kit-error.js';
import { ProviderError, abortedError, type ProviderErrorKind } from './provider-error.js';

/** Phrases providers use when a prompt is longer than the model's context window. */
const CONTEXT_LENGTH_PATTERNS = [
  /context[_ ]length[_ ]exceeded/i,
  /maximum context length/i,
  /context window/i,
  /prompt is too long/i,
  /too many tokens/i,
  /input is too long/i,
  /must be <= \d+/i, // TGI: `inputs` tokens + `max_new_tokens` must be <= N
  /exceeds? the (?:model's )?(?:maximum )?context/i,
];

const CONTENT_FILTER_PATTERNS = [/content[_ ]?(?:policy|filter|management)/i, /safety system/i];

/**
 * An HTTP error response as {@link providerErrorFromHttp} classifies it: status, body and headers
 * (for `retry-after`).
 */
export interface HttpFailure {
  /** The HTTP status code. */
  status: number;
  /** The response body, parsed or as text. */
  body?: unknown;
  /** The response headers, read for `retry-after-ms` and `retry-after`; names in any case. */
  headers?: Headers | Record<string, string | string[] | undefined> | undefined;
  /** The provider's name, for the error's `provider` and message; `provider` when unset. */
  provider?: string | undefined;
  /** The message to use instead of the one found in `body` (else `HTTP <status>`). */
  message?: string | undefined;
  /** The error thrown by the SDK or fetch, kept as the `ProviderError`'s `cause`. */
  cause?: unknown;
}

function header(headers: HttpFailure['headers'], name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const value = record[name] ?? record[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads `retry-after-ms` (OpenAI) or `retry-after` in seconds or as an HTTP date. */
export function retryAfterMsFrom(headers: HttpFailure['headers'], now = Date.now()): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined) {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = header(headers, 'retry-after');
  if (after === undefined) return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  try {
    return JSON.stringify(body);
  } catch {
    return String(body);
  }
}

/** The provider's own message, found where OpenAI, Anthropic, Ollama and TGI put it. */
function providerMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() || undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const error = record['error'];
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const message = (error as Record<string, unknown>)['message'];
    if (typeof message === 'string') return message;
  }
  const message = record['message'];
  return typeof message === 'string' ? message : undefined;
}

function kindForStatus(status: number, text: string): ProviderErrorKind {
  if (status === 400 || status === 413 || status === 422) {
    if (CONTEXT_LENGTH_PATTERNS.some((p) => p.test(text))) return 'context-length';
    if (CONTENT_FILTER_PATTERNS.some((p) => p.test(text))) return 'content-filter';
    return 'invalid-request';
  }
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'invalid-request';
  if (status === 408) return 'timeout';
  if (status === 409) return 'server'; // OpenAI documents 409 as a transient conflict worth retrying
  if (status === 429) return 'rate-limit';
  if (status >= 500) return 'server'; // includes Anthropic's 529 "overloaded"
  return 'invalid-request';
}

/** Classifies an HTTP failure from any provider into a `ProviderError`. */
export function providerErrorFromHttp(failure: HttpFailure): ProviderError {
  const text = bodyText(failure.body);
  const kind = kindForStatus(failure.status, text);
  // A 429 for an exhausted quota will not clear by waiting.
  const quotaExhausted = failure.status === 429 && /insufficient_quota|exceeded your current quota/i.test(text);
  const detail = failure.message ?? providerMessage(failure.body) ?? `HTTP ${failure.status}`;
  return new ProviderError({
    kind,
    message: `${failure.provider ?? 'provider'} ${failure.status}: ${detail}`,
    provider: failure.provider,
    status: failure.status,
    retryable: quotaExhausted ? false : undefined,
    retryAfterMs: retryAfterMsFrom(failure.headers),
    received: failure.body,
    cause: failure.cause,
  });
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Turns anything a provider call threw into a labelled error: Kit errors pass through, aborts
 * become `aborted`, HTTP failures are classified by status, socket failures become `network`,
 * and anything else is an `server` error that is not retried (it is most likely a bug).
 */
export function classifyError(error: unknown, provider: string, signal?: AbortSignal): KitError {
  if (error instanceof KitError) return error;
  if (signal?.aborted) return abortedError(provider, error);
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'AbortError' || name === 'APIUserAbortError') return abortedError(provider, error);
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400) {
    const e = error as { error?: unknown; body?: unknown; headers?: HttpFailure['headers']; message?: string };
    return providerErrorFromHttp({ status, body: e.error ?? e.body ?? e.message, headers: e.headers, provider, cause: error });
  }
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if ((code !== undefined && NETWORK_CODES.has(code)) || /fetch failed|socket hang up|network/i.test(message)) {
    return new ProviderError({ kind: 'network', message: `${provider}: ${message}`, provider, cause: error });
  }
  if (name === 'TimeoutError') {
    return new ProviderError({ kind: 'timeout', message: `${provider}: ${message}`, provider, cause: error });
  }
  return new ProviderError({
    kind: 'server',
    retryable: false,
    message: `${provider}: unexpected error: ${message}`,
    provider,
    cause: error,
  });
}
