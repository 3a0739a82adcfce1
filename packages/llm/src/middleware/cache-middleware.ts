import { raceAbort } from '../abort.js';
import { abortedError } from '../errors/provider-error.js';
import { StreamAccumulator, responseToStreamParts } from '../stream/collect-stream.js';
import { PartStream } from '../stream/part-stream.js';
import { parseStructuredOutput } from '../structured-output.js';
import type { CompletionRequest } from '../types/request.js';
import type { CompletionResponse } from '../types/response.js';
import type { StreamPart } from '../types/stream-part.js';
import { MemoryCacheStore, type CacheStore, type CachedEntry } from './cache-store.js';
import { copyCachedData } from './copy-cached-data.js';
import type { LanguageModelMiddleware, MiddlewareContext, TapStreamNext } from './middleware.js';
import { requestCacheKey } from './request-hash.js';
import { streamFromTapStream } from './stream-from-tap-stream.js';

/** The `providerMetadata` field that marks a reply served from the cache. */
export const CACHE_METADATA_KEY = 'cache';

/** Options of the {@link cache} middleware. */
export interface CacheOptions {
  /** Where replies are kept. Default: a `MemoryCacheStore` of this middleware alone. */
  store?: CacheStore;
  /** How long a reply is kept. Default: the store's own default. */
  ttlMs?: number;
  /**
   * Vetoes caching one reply. Replies with `finishReason: 'error'` are never cached, whatever
   * this says; everything else is cached unless this returns false.
   */
  shouldCache?: (request: CompletionRequest, response: CompletionResponse) => boolean;
  /** Hears of store failures, which never fail a call: a failed read is a miss, a failed write is dropped. */
  onError?: (error: unknown, operation: 'get' | 'set') => void;
}

/**
 * True when a response (or a stream's `finish` part) was served by the `cache` middleware rather
 * than a model: `providerMetadata.cache === 'hit'`.
 */
export function isCacheHit(reply: { providerMetadata?: Record<string, unknown> | undefined }): boolean {
  return reply.providerMetadata?.[CACHE_METADATA_KEY] === 'hit';
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Answers repeated requests from a store instead of the model. The key is
 * {@link requestCacheKey}: the model plus everything in the request that can change the reply,
 * but not its `signal` or `metadata`. Everything is cached, whatever the temperature: adding this
 * middleware is the opt-in, and `shouldCache` the opt-out.
 *
 * - `complete`: a hit returns a copy of the stored response, marked `providerMetadata.cache =
 *   'hit'` (see {@link isCacheHit}) and reported as a `cache-hit` event. A miss calls the model and
 *   stores the response.
 * - `stream`: a hit replays the stored parts (or, for an entry stored by `complete`, the parts of
 *   that response), the `finish` part carrying the marker. A miss streams through while recording,
 *   and stores the parts only when the stream reached its `finish` without error and the consumer
 *   did not stop early: a partial reply is never served as if it were whole.
 *
 * Concurrent identical misses each call the model; they are not merged. Merging would tie callers'
 * fates together (one caller's abort or timeout would fail the others, who would then need to
 * retry on their own), which costs more than the rare duplicate call.
 *
 * Place it outside `rateLimit` and `retry`, so that hits neither wait for nor spend rate limits.
 */
export function cache(options: CacheOptions = {}): LanguageModelMiddleware {
  const store = options.store ?? new MemoryCacheStore();
  const { ttlMs, shouldCache, onError } = options;
  if (ttlMs !== undefined && !(ttlMs > 0)) throw new RangeError('cache: ttlMs must be positive');

  /** The key, or undefined when the request cannot be keyed (it then goes straight through). */
  function keyOf(request: CompletionRequest, context: MiddlewareContext): string | undefined {
    try {
      return requestCacheKey(request, context.model);
    } catch {
      return undefined;
    }
  }

  async function read(key: string, request: CompletionRequest, provider: string): Promise<CachedEntry | undefined> {
    if (request.signal?.aborted) throw abortedError(provider, request.signal.reason);
    let entry: CachedEntry | Promise<CachedEntry | undefined> | undefined;
    try {
      entry = store.get(key);
    } catch (error) {
      onError?.(error, 'get');
      return undefined;
    }
    return isPromise(entry) ? readAsync(entry, request, provider) : entry;
  }

  /** A remote store's answer; its read must not outlive the caller's abort, and its failure is a miss. */
  async function readAsync(
    entry: Promise<CachedEntry | undefined>,
    request: CompletionRequest,
    provider: string,
  ): Promise<CachedEntry | undefined> {
    try {
      return await raceAbort(entry, request.signal, provider);
    } catch (error) {
      if (request.signal?.aborted) throw abortedError(provider, request.signal.reason);
      onError?.(error, 'get');
      return undefined;
    }
  }

  function write(key: string, entry: CachedEntry): void {
    try {
      const done = store.set(key, entry, ttlMs);
      // Not awaited: the caller has its reply and need not wait for a remote store.
      if (isPromise(done)) done.catch((error: unknown) => onError?.(error, 'set'));
    } catch (error) {
      onError?.(error, 'set');
    }
  }

  function cacheable(request: CompletionRequest, response: CompletionResponse): boolean {
    return response.finishReason !== 'error' && (shouldCache === undefined || shouldCache(request, response));
  }

  /** A caller's own copy of a cached reply, or undefined when the entry cannot serve it. */
  function hitResponse(entry: CachedEntry, request: CompletionRequest, context: MiddlewareContext): CompletionResponse | undefined {
    let response: CompletionResponse;
    if (entry.kind === 'response') {
      response = copyCachedData(entry.response);
    } else {
      const accumulator = new StreamAccumulator(context.model.provider, context.model.modelId);
      for (const part of copyCachedData(entry.parts)) accumulator.add(part);
      response = accumulator.response();
    }
    // Re-parsed rather than stored: a schema's output may hold values (dates, class instances)
    // that do not survive a serializing store. Same rule as the model itself: only without tool calls.
    const format = request.responseFormat;
    if (format?.type === 'json' && response.toolCalls.length === 0) {
      try {
        response.object = parseStructuredOutput(response.text, format);
      } catch {
        return undefined;
      }
    }
    response.providerMetadata = { ...response.providerMetadata, [CACHE_METADATA_KEY]: 'hit' };
    return response;
  }

  function replayParts(entry: CachedEntry): StreamPart[] {
    const parts =
      entry.kind === 'stream'
        ? (copyCachedData(entry.parts) as StreamPart[])
        : responseToStreamParts(copyCachedData(entry.response));
    const finish = parts[parts.length - 1];
    if (finish?.type === 'finish') {
      finish.providerMetadata = { ...finish.providerMetadata, [CACHE_METADATA_KEY]: 'hit' };
    }
    return parts;
  }

  /** A hit's stored parts as a stream, ended as `aborted` as soon as the caller aborts. */
  function replay(entry: CachedEntry, request: CompletionRequest, context: MiddlewareContext): PartStream<StreamPart> {
    context.report({ type: 'cache-hit' });
    const stream = PartStream.from(replayParts(entry));
    const signal = request.signal;
    if (signal === undefined) return stream;
    return stream.tap({
      onPart() {
        if (signal.aborted) throw abortedError(context.model.provider, signal.reason);
      },
    });
  }

  /** A miss: the model's stream, recorded as it passes and stored if it runs to its finish. */
  function record(key: string, request: CompletionRequest, next: TapStreamNext, context: MiddlewareContext): PartStream<StreamPart> {
    // Text deltas are kept as their strings (immutable, so safe from a consumer that rewrites the
    // part), the rare other parts as shallow copies; the stored parts are built once, at the end.
    const recorded: Array<string | StreamPart> = [];
    let finish: Extract<StreamPart, { type: 'finish' }> | undefined;
    return next(request).tap({
      onPart(part) {
        if (part.type === 'text-delta') recorded.push(part.text);
        else {
          const copy = { ...part };
          recorded.push(copy);
          if (copy.type === 'finish') finish = copy;
        }
      },
      onClose(outcome) {
        // Only a stream that ran out on its own: an error or an early stop by the consumer is not a whole reply.
        if (outcome !== 'end' || finish === undefined || finish.finishReason === 'error') return;
        const parts = recorded.map((r): StreamPart => (typeof r === 'string' ? { type: 'text-delta', text: r } : r));
        if (shouldCache !== undefined) {
          const accumulator = new StreamAccumulator(context.model.provider, context.model.modelId);
          for (const part of parts) accumulator.add(part);
          if (!shouldCache(request, accumulator.response())) return;
        }
        write(key, { kind: 'stream', parts });
      },
    });
  }

  const tapStream: NonNullable<LanguageModelMiddleware['tapStream']> = (request, next, context) => {
    const key = keyOf(request, context);
    if (key === undefined) return next(request);
    const provider = context.model.provider;
    if (request.signal?.aborted) throw abortedError(provider, request.signal.reason);
    let entry: CachedEntry | Promise<CachedEntry | undefined> | undefined;
    try {
      entry = store.get(key);
    } catch (error) {
      onError?.(error, 'get');
      entry = undefined;
    }
    // A store that answers at once (the memory store) costs the stream no await.
    if (!isPromise(entry)) return entry === undefined ? record(key, request, next, context) : replay(entry, request, context);
    return readAsync(entry, request, provider).then((found) =>
      found === undefined ? record(key, request, next, context) : replay(found, request, context),
    );
  };

  return {
    name: 'cache',
    async complete(request, next, context) {
      const key = keyOf(request, context);
      if (key === undefined) return next(request);
      const entry = await read(key, request, context.model.provider);
      if (entry !== undefined) {
        const hit = hitResponse(entry, request, context);
        if (hit !== undefined) {
          context.report({ type: 'cache-hit' });
          return hit;
        }
      }
      const response = await next(request);
      if (cacheable(request, response)) {
        // `object` is dropped (see hitResponse); the rest is what the model said.
        const { object: _object, ...stored } = response;
        write(key, { kind: 'response', response: stored });
      }
      return response;
    },
    tapStream,
    stream: streamFromTapStream(tapStream),
  };
}
