import { raceAbort } from '../abort.js';
import { abortedError } from '../errors/provider-error.js';
import { StreamAccumulator, responseToStreamParts } from '../stream/collect-stream.js';
import { parseStructuredOutput } from '../structured-output.js';
import type { CompletionRequest } from '../types/request.js';
import type { CompletionResponse } from '../types/response.js';
import type { StreamPart } from '../types/stream-part.js';
import { MemoryCacheStore, copyCachedData, type CacheStore, type CachedEntry } from './cache-store.js';
import type { LanguageModelMiddleware, MiddlewareContext } from './middleware.js';
import { requestCacheKey } from './request-hash.js';

/** The `providerMetadata` field that marks a reply served from the cache. */
export const CACHE_METADATA_KEY = 'cache';

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
    try {
      const entry = store.get(key);
      // A remote store's read must not outlive the caller's abort.
      return isPromise(entry) ? await raceAbort(entry, request.signal, provider) : entry;
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
    async *stream(request, next, context) {
      const key = keyOf(request, context);
      if (key === undefined) {
        yield* next(request);
        return;
      }
      const provider = context.model.provider;
      const entry = await read(key, request, provider);
      if (entry !== undefined) {
        context.report({ type: 'cache-hit' });
        for (const part of replayParts(entry)) {
          if (request.signal?.aborted) throw abortedError(provider, request.signal.reason);
          yield part;
        }
        return;
      }
      const recorded: StreamPart[] = [];
      let finished = false;
      for await (const part of next(request)) {
        // A shallow copy, so a consumer rewriting a part it was given does not rewrite the record.
        recorded.push({ ...part });
        if (part.type === 'finish') finished = true;
        yield part;
      }
      // Reached only when the stream ran out on its own: an error or an early `break` by the
      // consumer leaves the loop by throwing or returning, and skips this.
      if (!finished) return;
      const accumulator = new StreamAccumulator(provider, context.model.modelId);
      for (const part of recorded) accumulator.add(part);
      if (cacheable(request, accumulator.response())) write(key, { kind: 'stream', parts: recorded });
    },
  };
}
