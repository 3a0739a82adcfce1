import { providerErrorFromHttp, type HttpFailure } from '../errors/classify-error.js';
import { ProviderError } from '../errors/provider-error.js';

export const PROVIDER = 'ollama';

/**
 * Ollama's context-window messages, which the shared patterns miss and which Ollama sends with a
 * 400 or a 500: "prompt too long; exceeded max context length by 12 tokens" (chat) and "the input
 * length exceeds the context length" (embed).
 */
const OLLAMA_CONTEXT_LENGTH = [/exceeded max context length/i, /input length exceeds the context length/i, /prompt too long/i];

/** The message the SDK throws when a stream ends without its `done` object. */
export const SDK_TRUNCATED_MESSAGE = 'Did not receive done or success response in stream.';

function isContextLengthMessage(text: string): boolean {
  return OLLAMA_CONTEXT_LENGTH.some((p) => p.test(text));
}

/** The SDK's `ResponseError` (not exported by the package): `error` is the message, `status_code` the status. */
export function isSdkResponseError(error: unknown): error is Error & { error: string; status_code: number } {
  return error instanceof Error && error.name === 'ResponseError' && typeof (error as { status_code?: unknown }).status_code === 'number';
}

/** An HTTP failure classified by the shared rules, then by Ollama's own context-length wording. */
export function ollamaHttpError(failure: HttpFailure): ProviderError {
  const error = providerErrorFromHttp({ ...failure, provider: PROVIDER });
  if (error.kind === 'context-length' || error.kind === 'auth' || !isContextLengthMessage(error.message)) return error;
  return new ProviderError({
    kind: 'context-length',
    message: error.message,
    provider: PROVIDER,
    status: error.status,
    received: error.received,
    cause: error.cause,
  });
}

/**
 * An `{"error": "..."}` object in the middle of a stream: the model failed after the HTTP status
 * was sent. It is a server failure unless it names the context window.
 */
export function ollamaStreamError(message: string, cause?: unknown): ProviderError {
  return new ProviderError({
    kind: isContextLengthMessage(message) ? 'context-length' : 'server',
    message: `${PROVIDER}: the stream reported an error: ${message}`,
    provider: PROVIDER,
    cause,
  });
}
