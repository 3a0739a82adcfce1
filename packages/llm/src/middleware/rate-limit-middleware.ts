import { ProviderError, abortedError } from '../errors/provider-error.js';
import { estimateTokensFast } from '../tokens/estimate.js';
import type { CompletionRequest } from '../types/request.js';
import { isCacheHit } from './cache-middleware.js';
import type { LanguageModelMiddleware, MiddlewareContext } from './middleware.js';
import { streamFromTapStream } from './stream-from-tap-stream.js';
import { MemoryTokenBucketStore, type BucketDraw, type BucketLimit, type TakeResult, type TokenBucketStore } from './token-bucket.js';

/** Options of the {@link rateLimit} middleware: at least one of `requestsPerMinute` and `tokensPerMinute`. */
export interface RateLimitOptions {
  /** Calls allowed per minute, with bursts of up to this many. */
  requestsPerMinute?: number;
  /**
   * Tokens (input + output) allowed per minute, with bursts of up to this many. Each call reserves
   * an estimate up front (the prompt's estimated tokens plus `maxTokens`) and is reconciled with
   * its reported `usage.totalTokens` once that arrives.
   */
  tokensPerMinute?: number;
  /** The longest a call waits for its turn before failing as `rate-limit`. Default 60 s; `Infinity` waits for ever. */
  maxWaitMs?: number;
  /** The buckets. Default: a `MemoryTokenBucketStore` of this middleware alone. */
  store?: TokenBucketStore;
  /**
   * Names the limit a call counts against. Default `'default'`: every call through this
   * middleware shares one limit. A function can split it (per tenant from `request.metadata`, say);
   * with a shared store, name the provider account so that processes share the right buckets.
   */
  key?: string | ((request: CompletionRequest, context: MiddlewareContext) => string);
  /** The clock, in ms. Default `Date.now`, a clock processes sharing a store can agree on. */
  now?: () => number;
}

// setTimeout fires at once for delays beyond a signed 32-bit int; longer waits get no deadline timer.
const MAX_TIMER_MS = 2_147_483_647;

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

interface Waiter {
  readonly draws: readonly BucketDraw[];
  /** On the limiter's clock. */
  readonly deadline: number;
  readonly provider: string;
  resolve(): void;
  reject(error: unknown): void;
  /** Clears the deadline timer and the abort listener. */
  cleanup(): void;
}

/** The FIFO queue of callers waiting on one key's buckets. */
interface Lane {
  readonly queue: Waiter[];
  pumping: boolean;
  /** When the pump's current sleep ends, on the limiter's clock. */
  wakeAt: number;
  /** Ends the pump's current sleep early, when it is sleeping. */
  wake: (() => void) | undefined;
}

/**
 * Hands out bucket draws in arrival order. Fairness: while anyone waits on a key, newcomers queue
 * behind them even if the buckets could serve them now, so a large request is not starved by a
 * stream of small ones. Only the head of each queue polls the store, on one timer set to the
 * store's own `waitMs`: no thundering herd of waiters all retrying at once. With a shared store,
 * the order holds within a process; across processes, whichever asks first after a refill wins.
 */
class FifoLimiter {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly store: TokenBucketStore,
    private readonly maxWaitMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * Takes `draws` from the store for `laneKey`: undefined when granted at once (the uncontended
   * path: no promise, no timer), else a promise that settles when the caller's turn comes, or
   * rejects as `rate-limit` past `maxWaitMs` or as `aborted` when `signal` aborts.
   */
  acquire(
    laneKey: string,
    draws: readonly BucketDraw[],
    signal: AbortSignal | undefined,
    context: MiddlewareContext,
  ): Promise<void> | undefined {
    const provider = context.model.provider;
    if (signal?.aborted) throw abortedError(provider, signal.reason);
    const lane = this.lanes.get(laneKey);
    if (lane !== undefined && lane.queue.length > 0) return this.enqueue(laneKey, draws, signal, context, undefined);
    const result = this.store.take(draws, this.now());
    if (!isPromise(result)) {
      return result.granted ? undefined : this.enqueue(laneKey, draws, signal, context, result.waitMs);
    }
    return result.then((r) => {
      if (!r.granted) return this.enqueue(laneKey, draws, signal, context, r.waitMs);
      if (signal?.aborted) {
        this.refund(draws);
        throw abortedError(provider, signal.reason);
      }
      return undefined;
    });
  }

  /** Wakes the head of `laneKey`'s queue to try again now: a refund may have made room. */
  nudge(laneKey: string): void {
    this.lanes.get(laneKey)?.wake?.();
  }

  /** Gives back what a caller took; a no-op with a store that cannot adjust. */
  refund(draws: readonly BucketDraw[]): void {
    const { store } = this;
    if (store.adjust === undefined) return;
    const now = this.now();
    for (const draw of draws) {
      try {
        const done = store.adjust(draw.key, -draw.amount, draw.limit, now);
        if (isPromise(done)) done.catch(() => undefined);
      } catch {
        // A lost refund only makes the limit stricter for a while; never worth failing a call.
      }
    }
  }

  private tooLong(provider: string, waitMs: number): ProviderError {
    const ms = Math.max(1, Math.ceil(waitMs));
    return new ProviderError({
      kind: 'rate-limit',
      message: `${provider}: rate limit: the call would wait about ${ms} ms, longer than maxWaitMs (${this.maxWaitMs} ms)`,
      provider,
      retryable: true,
      retryAfterMs: ms,
    });
  }

  private enqueue(
    laneKey: string,
    draws: readonly BucketDraw[],
    signal: AbortSignal | undefined,
    context: MiddlewareContext,
    knownWaitMs: number | undefined,
  ): Promise<void> {
    const provider = context.model.provider;
    if (knownWaitMs !== undefined && knownWaitMs > this.maxWaitMs) {
      return Promise.reject(this.tooLong(provider, knownWaitMs));
    }
    let lane = this.lanes.get(laneKey);
    if (lane === undefined) {
      lane = { queue: [], pumping: false, wakeAt: 0, wake: undefined };
      this.lanes.set(laneKey, lane);
    }
    const queued = lane;
    const now = this.now();
    context.report({ type: 'rate-limit-wait', waitMs: knownWaitMs ?? Math.max(0, queued.wakeAt - now) });
    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => {
        if (this.remove(queued, waiter)) reject(abortedError(provider, signal?.reason));
      };
      const waiter: Waiter = {
        draws,
        deadline: now + this.maxWaitMs,
        provider,
        resolve,
        reject,
        cleanup: () => {
          if (timer !== undefined) clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      // The pump fails the head early once its known wait passes the deadline; this timer catches
      // the callers behind it, whose wait is not known until they reach the head, and a head
      // stuck on a slow remote store.
      if (this.maxWaitMs <= MAX_TIMER_MS) {
        timer = setTimeout(() => {
          // A head whose sleep ends right now gets its turn: the pump wakes in this same instant
          // and decides, so that a wait of exactly maxWaitMs succeeds.
          if (queued.queue[0] === waiter && queued.wake !== undefined && queued.wakeAt <= this.now()) return;
          if (this.remove(queued, waiter)) reject(this.tooLong(provider, Math.max(1, queued.wakeAt - this.now())));
        }, this.maxWaitMs);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      queued.queue.push(waiter);
      if (!queued.pumping) {
        this.pump(laneKey, queued, knownWaitMs ?? 0).catch((error: unknown) => {
          for (const w of queued.queue.splice(0)) {
            w.cleanup();
            w.reject(error);
          }
        });
      }
    });
  }

  /** Takes a waiter out of its queue; false when it already left. */
  private remove(lane: Lane, waiter: Waiter): boolean {
    const index = lane.queue.indexOf(waiter);
    if (index < 0) return false;
    lane.queue.splice(index, 1);
    waiter.cleanup();
    // The pump sleeps for the head's needs: let it look again at the new head (or stop).
    if (index === 0) lane.wake?.();
    return true;
  }

  private sleep(lane: Lane, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        lane.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      lane.wakeAt = this.now() + ms;
      lane.wake = done;
    });
  }

  /** Serves one lane's queue head by head until it is empty. */
  private async pump(laneKey: string, lane: Lane, initialWaitMs: number): Promise<void> {
    lane.pumping = true;
    let wait = initialWaitMs;
    try {
      while (lane.queue.length > 0) {
        const head = lane.queue[0]!;
        if (wait > 0) {
          if (this.now() + wait > head.deadline) {
            // Known now that the head cannot be served in time: fail it now, not at its deadline.
            this.remove(lane, head);
            head.reject(this.tooLong(head.provider, wait));
            wait = 0;
            continue;
          }
          await this.sleep(lane, wait);
          wait = 0;
          continue;
        }
        let result: TakeResult;
        try {
          const taken = this.store.take(head.draws, this.now());
          result = isPromise(taken) ? await taken : taken;
        } catch (error) {
          if (this.remove(lane, head)) head.reject(error);
          continue;
        }
        if (lane.queue[0] !== head) {
          // The head left (aborted, timed out) while a remote take was in flight.
          if (result.granted) this.refund(head.draws);
          continue;
        }
        if (result.granted) {
          lane.queue.shift();
          head.cleanup();
          head.resolve();
          continue;
        }
        wait = Math.max(1, result.waitMs);
      }
    } finally {
      lane.pumping = false;
      if (lane.queue.length === 0 && this.lanes.get(laneKey) === lane) this.lanes.delete(laneKey);
    }
  }
}

function perMinute(name: string, value: number | undefined): BucketLimit | undefined {
  if (value === undefined) return undefined;
  if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`rateLimit: ${name} must be a positive number`);
  return { capacity: value, refillPerMs: value / 60_000 };
}

/**
 * Keeps calls under requests-per-minute and tokens-per-minute limits shared by every call through
 * this middleware (per `key`). Callers wait their turn, first come first served, rather than fail;
 * a call that would wait longer than `maxWaitMs` fails as a retryable `rate-limit` error with
 * `retryAfterMs`, and aborting the request's signal ends its wait at once as `aborted`.
 *
 * Token accounting: a call reserves its estimated prompt tokens plus `maxTokens` before it starts,
 * then is charged the difference to `usage.totalTokens` when the response (or a stream's `usage`
 * part) arrives, or refunded. A call that fails, or a stream without usage, keeps only its prompt
 * estimate. A reply served by the `cache` middleware inside this one is refunded entirely (but
 * place `cache` outside, so hits never wait at all).
 *
 * A stream takes its turn before its first part. The uncontended path takes no timer and no promise
 * beyond the call's own.
 */
export function rateLimit(options: RateLimitOptions): LanguageModelMiddleware {
  const requestLimit = perMinute('requestsPerMinute', options.requestsPerMinute);
  const tokenLimit = perMinute('tokensPerMinute', options.tokensPerMinute);
  if (requestLimit === undefined && tokenLimit === undefined) {
    throw new RangeError('rateLimit: give requestsPerMinute, tokensPerMinute or both');
  }
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  if (!(maxWaitMs >= 0)) throw new RangeError('rateLimit: maxWaitMs must be zero or more');
  const store = options.store ?? new MemoryTokenBucketStore();
  const now = options.now ?? Date.now;
  const limiter = new FifoLimiter(store, maxWaitMs, now);
  const keyOption = options.key ?? 'default';

  /** One call's claim on the buckets, kept until it is settled. */
  interface Reservation {
    laneKey: string;
    draws: BucketDraw[];
    requestsKey: string;
    tokensKey: string;
    /** Tokens reserved in all; `output` of them for the reply. */
    tokens: number;
    output: number;
  }

  function reserve(request: CompletionRequest, context: MiddlewareContext): Reservation {
    const laneKey = typeof keyOption === 'string' ? keyOption : keyOption(request, context);
    const requestsKey = `${laneKey}:requests`;
    const tokensKey = `${laneKey}:tokens`;
    const draws: BucketDraw[] = [];
    if (requestLimit !== undefined) draws.push({ key: requestsKey, amount: 1, limit: requestLimit });
    let tokens = 0;
    let output = 0;
    // Estimating costs a pass over the messages: skipped when tokens are not limited.
    if (tokenLimit !== undefined) {
      output = request.maxTokens ?? 0;
      tokens = estimateTokensFast({ messages: request.messages, tools: request.tools }) + output;
      draws.push({ key: tokensKey, amount: tokens, limit: tokenLimit });
    }
    return { laneKey, draws, requestsKey, tokensKey, tokens, output };
  }

  function adjust(key: string, delta: number, limit: BucketLimit): void {
    if (store.adjust === undefined) return;
    try {
      const done = store.adjust(key, delta, limit, now());
      if (isPromise(done)) done.catch(() => undefined);
    } catch {
      // A lost adjustment skews the limit for under a minute; never worth failing a call.
    }
  }

  /**
   * Squares a reservation with what the call used. `totalTokens` undefined (or 0, which is what
   * a provider that reports no usage leaves) means unknown: the prompt estimate is kept.
   */
  function settle(reservation: Reservation, hit: boolean, totalTokens: number | undefined): void {
    let refunded = false;
    if (hit) {
      if (requestLimit !== undefined) adjust(reservation.requestsKey, -1, requestLimit);
      if (tokenLimit !== undefined && reservation.tokens > 0) adjust(reservation.tokensKey, -reservation.tokens, tokenLimit);
      refunded = true;
    } else if (tokenLimit !== undefined) {
      const used = totalTokens !== undefined && totalTokens > 0 ? totalTokens : reservation.tokens - reservation.output;
      const delta = used - reservation.tokens;
      if (delta !== 0) adjust(reservation.tokensKey, delta, tokenLimit);
      refunded = delta < 0;
    }
    if (refunded) limiter.nudge(reservation.laneKey);
  }

  const tapStream: NonNullable<LanguageModelMiddleware['tapStream']> = (request, next, context) => {
    const reservation = reserve(request, context);
    const waiting = limiter.acquire(reservation.laneKey, reservation.draws, request.signal, context);
    const start = () => {
      let totalTokens: number | undefined;
      let hit = false;
      return next(request).tap({
        onPart(part) {
          if (part.type === 'usage') totalTokens = part.usage.totalTokens;
          else if (part.type === 'finish') hit = isCacheHit(part);
        },
        // Also on error and on the consumer's early break: what was used is charged either way.
        onClose: () => settle(reservation, hit, totalTokens),
      });
    };
    // The uncontended turn is granted at once: no await before the stream starts.
    return waiting === undefined ? start() : waiting.then(start);
  };

  return {
    name: 'rate-limit',
    async complete(request, next, context) {
      const reservation = reserve(request, context);
      const waiting = limiter.acquire(reservation.laneKey, reservation.draws, request.signal, context);
      if (waiting !== undefined) await waiting;
      let response;
      try {
        response = await next(request);
      } catch (error) {
        settle(reservation, false, undefined);
        throw error;
      }
      settle(reservation, isCacheHit(response), response.usage.totalTokens);
      return response;
    },
    tapStream,
    stream: streamFromTapStream(tapStream),
  };
}
