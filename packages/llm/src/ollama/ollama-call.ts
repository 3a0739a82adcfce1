import type { Ollama } from 'ollama';
import { KitError } from '../errors/kit-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { PROVIDER, SDK_TRUNCATED_MESSAGE, isSdkResponseError, ollamaHttpError, ollamaStreamError } from './ollama-errors.js';
import { ollamaSdk } from './ollama-sdk.js';

/** How to reach the server: resolved once per model. */
export interface OllamaConnection {
  host: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
}

/** What the NDJSON check puts in place of a bad line, so the SDK stops there (see below). */
const MALFORMED_MARKER = '@kit/llm: malformed NDJSON line';
const SNIPPET = 200;

/**
 * One request through the SDK, on a client of its own. Why a client per call:
 * - the SDK sends no AbortSignal for non-streamed calls and `Ollama#abort()` aborts every stream of
 *   a client, so the call's own signal is joined to each fetch here instead: one call's abort never
 *   touches another;
 * - the SDK's `ResponseError` keeps neither headers nor body, so an error response is read here
 *   (for `retry-after` and the body);
 * - the SDK's NDJSON parser logs and skips a line that is not JSON, so a stream is checked line by
 *   line here, and a bad line ends it with a typed error instead of being dropped.
 */
export class OllamaCall {
  readonly client: Ollama;
  private failure: { status: number; headers: Headers; body: unknown } | undefined;
  private streamFault: ProviderError | undefined;

  constructor(
    connection: OllamaConnection,
    private readonly signal: AbortSignal | undefined,
    private readonly stream: boolean,
  ) {
    this.client = new ollamaSdk.Ollama({ host: connection.host, headers: connection.headers, fetch: this.fetchFor(connection.fetch) });
  }

  private fetchFor(base: typeof fetch): typeof fetch {
    return async (input, init = {}) => {
      const signals = [init.signal, this.signal].filter((s): s is AbortSignal => s != null);
      const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
      const response = await base(input, signal === undefined ? init : { ...init, signal });
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        this.failure = { status: response.status, headers: response.headers, body: parseBody(text) };
        return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
      }
      if (!this.stream || response.body === null) return response;
      return new Response(response.body.pipeThrough(this.ndjsonCheck()), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    };
  }

  /**
   * Passes whole NDJSON lines on and holds a partial one back. A line that is not JSON is
   * replaced by an `{"error"}` object, which the SDK throws on after yielding every line before
   * it (erroring the stream instead would discard lines still queued), and the stream ends there.
   */
  private ndjsonCheck(): TransformStream<Uint8Array, Uint8Array> {
    const decoder = new TextDecoder();
    const encoder = new TextEncoder();
    let buffer = '';
    const check = (line: string, controller: TransformStreamDefaultController<Uint8Array>, atEnd: boolean): boolean => {
      if (line.trim() === '') return true;
      try {
        JSON.parse(line);
        controller.enqueue(encoder.encode(`${line}\n`));
        return true;
      } catch {
        const what = atEnd ? 'the stream ended inside a line' : 'the stream sent a line that is not JSON';
        this.streamFault = new ProviderError({
          kind: 'server',
          message: `${PROVIDER}: ${what}: ${JSON.stringify(line.slice(0, SNIPPET))}`,
          provider: PROVIDER,
        });
        controller.enqueue(encoder.encode(`${JSON.stringify({ error: MALFORMED_MARKER })}\n`));
        controller.terminate();
        return false;
      }
    };
    return new TransformStream({
      transform(chunk, controller) {
        buffer += decoder.decode(chunk, { stream: true });
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) if (!check(line, controller, false)) return;
      },
      flush(controller) {
        buffer += decoder.decode();
        check(buffer, controller, true);
      },
    });
  }

  /**
   * A thrown SDK error as a Kit error where the SDK's shape is known; anything else (network
   * failures, aborts) is left for `classifyError`.
   */
  toError(error: unknown): unknown {
    if (error instanceof KitError || this.signal?.aborted) return error;
    if (this.streamFault !== undefined) return this.streamFault;
    if (isSdkResponseError(error)) {
      const failure = this.failure?.status === error.status_code ? this.failure : undefined;
      return ollamaHttpError({
        status: error.status_code,
        body: failure?.body ?? { error: error.error },
        headers: failure?.headers,
        message: error.error,
        cause: error,
      });
    }
    if (!(error instanceof Error)) return error;
    if (error.message === SDK_TRUNCATED_MESSAGE) {
      return new ProviderError({
        kind: 'network',
        message: `${PROVIDER}: the stream ended before its final (done) object`,
        provider: PROVIDER,
        cause: error,
      });
    }
    // The SDK throws a plain Error with the text of an `{"error": ...}` stream object.
    if (this.stream && Object.getPrototypeOf(error) === Error.prototype) return ollamaStreamError(error.message, error);
    if (error instanceof SyntaxError) {
      return new ProviderError({ kind: 'server', message: `${PROVIDER}: the reply is not valid JSON: ${error.message}`, provider: PROVIDER, cause: error });
    }
    return error;
  }
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
