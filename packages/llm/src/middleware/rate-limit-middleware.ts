import { ProviderError, abortedError } from '../errors/provider-error.js';
import { estimateTokensFast } from '../tokens/estimate.js';
import type { CompletionRequest } from '../types/request.js';
import { isCacheHit } from './cache-middleware.js';
import type { LanguageModelMiddleware, MiddlewareContext } from './middleware.js';
import { streamFromTapStream } from './stream-from-tap-stream.js';
import { MemorySlidingWindowStore, type SlidingWindowStore, type WindowAdmission, type WindowBatchResult, type WindowDraw, type WindowLimit } from './sliding-window.js';
import { MemoryTokenBucketStore, type BucketDraw, type BucketLimit, type TakeResult, type TokenBucketStore } from './token-bucket.js';

/** How {@link rateLimit} counts: see {@link RateLimitOptions.algorithm}. */
export type RateLimitAlgorithm = 'token-bucket' | 'sliding-window';

/** Options of the {@link rateLimit} middleware: at least one of `requestsPerMinute` and `tokensPerMinute`. */
export interface RateLimitOptions {
  /**
   * Calls allowed per minute. A token bucket allows bursts of up to this many on top of the
   * steady rate; a sliding window never admits more than this many in any 60 s.
   */
  requestsPerMinute?: number;
  /**
   * Tokens (input + output) allowed per minute, counted as `requestsPerMinute` is. Each call
   * reserves an estimate up front (the prompt's estimated tokens plus `maxTokens`) and is
   * reconciled with its reported `usage.totalTokens` once that arrives.
   */
  tokensPerMinute?: number;
  /**
   * How the limits are kept.
   * - `'token-bucket'` (the default): a bucket of one minute's worth, refilled continuously. After
   *   an idle spell a full bucket plus a minute of refill can go through within 60 s: up to twice
   *   the limit in that window. Cheap (one number per limit) and smooth; right when the limit is a
   *   budget over time, or the provider itself counts with a bucket.
   * - `'sliding-window'`: a log of the last minute's admissions; a call goes through only when the
   *   amounts admitted in the 60 s up to now, plus its own, stay within the limit. Strict: no 60 s
   *   window, the first after an idle spell included, ever holds more than the limit (as reserved:
   *   a call that uses more tokens than it reserved is charged after the fact). Costs an entry per
   *   admission for a minute. Right when the provider counts per window and a burst over it fails
   *   calls, or when the limit is a contract.
   */
  algorithm?: RateLimitAlgorithm;
  /** The longest a call waits for its turn before failing as `rate-limit`. Default 60 s; `Infinity` waits for ever. */
  maxWaitMs?: number;
  /**
   * Where the limits are kept, matching `algorithm`: a `TokenBucketStore` for token buckets, a
   * `SlidingWindowStore` (its `kind` is `'sliding-window'`) for sliding windows. Default: a memory
   * store of this middleware alone; a Redis store shares the limit between processes.
   */
  store?: TokenBucketStore | SlidingWindowStore;
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

/** What the limiter needs of a store of either kind: a `take` that grants or says how long to wait. */
interface Gate<D, R extends TakeResult> {
  take(draws: readonly D[], now: number): R | Promise<R>;
  /**
   * Optional: takes for several queued callers at once, in order, stopping at the first that
   * does not fit: the grants of those served (from the first), and the wait of the one refused.
   */
  takeBatch?(sets: ReadonlyArray<readonly D[]>, now: number): BatchGrant<R> | Promise<BatchGrant<R>>;
  /** Gives back a grant that will not be used (its caller left while the take was in flight). */
  release(draws: readonly D[], granted: R): void;
}

/** What a {@link Gate.takeBatch} answers: one grant per caller served, from the first; the refused one's wait, or 0. */
interface BatchGrant<R> {
  readonly granted: readonly R[];
  readonly waitMs: number;
}

/**
 * The most queued callers one batched take serves. A batch is one store call (one Redis round
 * trip), so this bounds the script's work per call, not fairness: callers keep their order.
 */
const MAX_BATCH = 64;

interface Waiter<D, R> {
  readonly draws: readonly D[];
  /** On the limiter's clock. */
  readonly deadline: number;
  readonly provider: string;
  resolve(granted: R): void;
  reject(error: unknown): void;
  /** Clears the deadline timer and the abort listener. */
  cleanup(): void;
}

/** The FIFO queue of callers waiting on one key's buckets. */
interface Lane<D, R> {
  readonly queue: Array<Waiter<D, R>>;
  pumping: boolean;
  /** When the pump's current sleep ends, on the limiter's clock. */
  wakeAt: number;
  /** Ends the pump's current sleep early, when it is sleeping. */
  wake: (() => void) | undefined;
}

/**
 * Hands out draws from a store in arrival order, for either algorithm: both stores answer a take
 * with `{ granted, waitMs }`, which is all the queueing needs. Fairness: while anyone waits on a key, newcomers queue
 * behind them even if the buckets could serve them now, so a large request is not starved by a
 * stream of small ones. Only the head of each queue polls the store, on one timer set to the
 * store's own `waitMs`: no thundering herd of waiters all retrying at once. With a shared store,
 * the order holds within a process; across processes, whichever asks first after a refill wins.
 */
class FifoLimiter<D, R extends TakeResult> {
  private readonly lanes = new Map<string, Lane<D, R>>();

  constructor(
    private readonly gate: Gate<D, R>,
    private readonly maxWaitMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * Takes `draws` from the store for `laneKey`: the grant itself when granted at once (the
   * uncontended path: no promise, no timer), else a promise of it that settles when the caller's
   * turn comes, or rejects as `rate-limit` past `maxWaitMs` or as `aborted` when `signal` aborts.
   */
  acquire(laneKey: string, draws: readonly D[], signal: AbortSignal | undefined, context: MiddlewareContext): R | Promise<R> {
    const provider = context.model.provider;
    if (signal?.aborted) throw abortedError(provider, signal.reason);
    const lane = this.lanes.get(laneKey);
    if (lane !== undefined && lane.queue.length > 0) return this.enqueue(laneKey, draws, signal, context, undefined);
    const result = this.gate.take(draws, this.now());
    if (!isPromise(result)) {
      return result.granted ? result : this.enqueue(laneKey, draws, signal, context, result.waitMs);
    }
    return result.then((r) => {
      if (!r.granted) return this.enqueue(laneKey, draws, signal, context, r.waitMs);
      if (signal?.aborted) {
        this.gate.release(draws, r);
        throw abortedError(provider, signal.reason);
      }
      return r;
    });
  }

  /** Wakes the head of `laneKey`'s queue to try again now: a refund may have made room. */
  nudge(laneKey: string): void {
    this.lanes.get(laneKey)?.wake?.();
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
    draws: readonly D[],
    signal: AbortSignal | undefined,
    context: MiddlewareContext,
    knownWaitMs: number | undefined,
  ): Promise<R> {
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
    return new Promise<R>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => {
        if (this.remove(queued, waiter)) reject(abortedError(provider, signal?.reason));
      };
      const waiter: Waiter<D, R> = {
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
  private remove(lane: Lane<D, R>, waiter: Waiter<D, R>): boolean {
    const index = lane.queue.indexOf(waiter);
    if (index < 0) return false;
    lane.queue.splice(index, 1);
    waiter.cleanup();
    // The pump sleeps for the head's needs: let it look again at the new head (or stop).
    if (index === 0) lane.wake?.();
    return true;
  }

  private sleep(lane: Lane<D, R>, ms: number): Promise<void> {
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
  private async pump(laneKey: string, lane: Lane<D, R>, initialWaitMs: number): Promise<void> {
    lane.pumping = true;
    let wait = initialWaitMs;
    try {
      while (lane.queue.length > 0) {
        const head = lane.queue[0]!;
        if (wait > 0) {
          const now = this.now();
          if (now + wait > head.deadline) {
            // Stores round waits up to whole ms, so the head's turn may come up to 1 ms sooner
            // than `wait` says: within that, sleep to the deadline and ask again there.
            if (now + wait - 1 < head.deadline) {
              await this.sleep(lane, head.deadline - now);
              wait = 0;
              continue;
            }
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
        if (this.gate.takeBatch !== undefined && lane.queue.length > 1) {
          wait = await this.serveBatch(lane, this.gate.takeBatch.bind(this.gate));
          continue;
        }
        let result: R;
        try {
          const taken = this.gate.take(head.draws, this.now());
          result = isPromise(taken) ? await taken : taken;
        } catch (error) {
          if (this.remove(lane, head)) head.reject(error);
          continue;
        }
        if (lane.queue[0] !== head) {
          // The head left (aborted, timed out) while a remote take was in flight.
          if (result.granted) this.gate.release(head.draws, result);
          continue;
        }
        if (result.granted) {
          lane.queue.shift();
          head.cleanup();
          head.resolve(result);
          continue;
        }
        wait = Math.max(1, result.waitMs);
      }
    } finally {
      lane.pumping = false;
      if (lane.queue.length === 0 && this.lanes.get(laneKey) === lane) this.lanes.delete(laneKey);
    }
  }

  /**
   * Serves the first queued callers with one batched take, in order; returns how long the pump
   * sleeps next (0 when every caller asked for was served). Callers that left while the take was
   * in flight give their grants back. When the take fails, every caller it was for fails with its
   * error, as the head alone does with a single take.
   */
  private async serveBatch(lane: Lane<D, R>, takeBatch: NonNullable<Gate<D, R>['takeBatch']>): Promise<number> {
    const batch = lane.queue.slice(0, MAX_BATCH);
    let outcome: BatchGrant<R>;
    try {
      const taken = takeBatch(
        batch.map((waiter) => waiter.draws),
        this.now(),
      );
      outcome = isPromise(taken) ? await taken : taken;
    } catch (error) {
      for (const waiter of batch) if (this.remove(lane, waiter)) waiter.reject(error);
      return 0;
    }
    const { granted } = outcome;
    for (let i = 0; i < granted.length && i < batch.length; i++) {
      const waiter = batch[i]!;
      const index = lane.queue.indexOf(waiter);
      if (index < 0) {
        this.gate.release(waiter.draws, granted[i]!);
        continue;
      }
      lane.queue.splice(index, 1);
      waiter.cleanup();
      waiter.resolve(granted[i]!);
    }
    return granted.length >= batch.length ? 0 : Math.max(1, outcome.waitMs);
  }
}

/** One draw of either algorithm: `amount` from the limit named `key`. */
interface Draw<L> {
  readonly key: string;
  readonly amount: number;
  readonly limit: L;
}

/** One algorithm behind the shared queue: its per-minute limits, its store, and how it reconciles. */
interface Counter<L, R extends TakeResult> extends Gate<Draw<L>, R> {
  readonly requests: L | undefined;
  readonly tokens: L | undefined;
  /** Charges (`delta > 0`) or refunds (`delta < 0`) what the call `granted` was given from `draw`. */
  adjust(draw: Draw<L>, delta: number, granted: R): void;
}

function perMinuteValue(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`rateLimit: ${name} must be a positive number`);
  return value;
}

/** Runs a store's `adjust`, whose failure is never worth failing a call over. */
function quietly(run: () => Promise<void> | void): void {
  try {
    const done = run();
    if (isPromise(done)) done.catch(() => undefined);
  } catch {
    // A lost adjustment skews the limit for under a minute: stricter for a lost refund, looser
    // by one call's overrun for a lost charge.
  }
}

function tokenBucketCounter(store: TokenBucketStore, now: () => number, requests: number | undefined, tokens: number | undefined): Counter<BucketLimit, TakeResult> {
  const bucket = (perMinute: number | undefined): BucketLimit | undefined =>
    perMinute === undefined ? undefined : { capacity: perMinute, refillPerMs: perMinute / 60_000 };
  const adjust = (draw: BucketDraw, delta: number) => {
    if (store.adjust !== undefined) quietly(() => store.adjust!(draw.key, delta, draw.limit, now()));
  };
  return {
    requests: bucket(requests),
    tokens: bucket(tokens),
    take: (draws, at) => store.take(draws, at),
    release: (draws) => {
      for (const draw of draws) adjust(draw, -draw.amount);
    },
    adjust,
  };
}

function slidingWindowCounter(
  store: SlidingWindowStore,
  now: () => number,
  requests: number | undefined,
  tokens: number | undefined,
): Counter<WindowLimit, TakeResult & { admission?: WindowAdmission }> {
  const window = (perMinute: number | undefined): WindowLimit | undefined => (perMinute === undefined ? undefined : { max: perMinute, windowMs: 60_000 });
  const adjust = (draw: WindowDraw, delta: number, granted: { admission?: WindowAdmission }) => {
    const { admission } = granted;
    if (store.adjust !== undefined && admission !== undefined) quietly(() => store.adjust!(draw.key, delta, draw.limit, now(), admission));
  };
  const takeBatch = store.takeBatch?.bind(store);
  const grants = (result: WindowBatchResult): { granted: Array<TakeResult & { admission: WindowAdmission }>; waitMs: number } => ({
    granted: result.admissions.map((admission) => ({ granted: true, waitMs: 0, admission })),
    waitMs: result.waitMs,
  });
  return {
    requests: window(requests),
    tokens: window(tokens),
    take: (draws, at) => store.take(draws, at),
    takeBatch:
      takeBatch === undefined
        ? undefined
        : (sets, at) => {
            const result = takeBatch(sets, at);
            return isPromise(result) ? result.then(grants) : grants(result);
          },
    release: (draws, granted) => {
      for (const draw of draws) adjust(draw, -draw.amount, granted);
    },
    adjust,
  };
}

function isSlidingWindowStore(store: TokenBucketStore | SlidingWindowStore): store is SlidingWindowStore {
  return (store as { kind?: unknown }).kind === 'sliding-window';
}

/**
 * Keeps calls under requests-per-minute and tokens-per-minute limits shared by every call through
 * this middleware (per `key`). Callers wait their turn, first come first served, rather than fail;
 * a call that would wait longer than `maxWaitMs` fails as a retryable `rate-limit` error with
 * `retryAfterMs`, and aborting the request's signal ends its wait at once as `aborted`.
 *
 * Two algorithms (`algorithm`): token buckets (the default, bursts of up to a minute's worth) and
 * sliding windows (strict: never more than the limit in any 60 s). Both share the queueing above;
 * they differ in their store and in how a reservation is reconciled.
 *
 * Token accounting: a call reserves its estimated prompt tokens plus `maxTokens` before it starts,
 * then is charged the difference to `usage.totalTokens` when the response (or a stream's `usage`
 * part) arrives, or refunded. A call that fails, or a stream without usage, keeps only its prompt
 * estimate. A reply served by the `cache` middleware inside this one is refunded entirely (but
 * place `cache` outside, so hits never wait at all). With sliding windows a refund shrinks the
 * call's own entry in the log, so it frees room only in the windows that held the call, and a
 * charge is a new entry at the time it is known.
 *
 * A stream takes its turn before its first part. The uncontended path takes no timer and no promise
 * beyond the call's own.
 */
export function rateLimit(options: RateLimitOptions): LanguageModelMiddleware {
  const requests = perMinuteValue('requestsPerMinute', options.requestsPerMinute);
  const tokens = perMinuteValue('tokensPerMinute', options.tokensPerMinute);
  if (requests === undefined && tokens === undefined) {
    throw new RangeError('rateLimit: give requestsPerMinute, tokensPerMinute or both');
  }
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  if (!(maxWaitMs >= 0)) throw new RangeError('rateLimit: maxWaitMs must be zero or more');
  const algorithm = options.algorithm ?? 'token-bucket';
  const now = options.now ?? Date.now;
  const { store } = options;
  if (algorithm === 'sliding-window') {
    if (store !== undefined && !isSlidingWindowStore(store)) {
      throw new RangeError("rateLimit: algorithm 'sliding-window' needs a SlidingWindowStore (kind 'sliding-window'), not a token-bucket store");
    }
    return limitWith(slidingWindowCounter(store ?? new MemorySlidingWindowStore(), now, requests, tokens), options, maxWaitMs, now);
  }
  if (algorithm !== 'token-bucket') throw new RangeError("rateLimit: algorithm must be 'token-bucket' or 'sliding-window'");
  if (store !== undefined && isSlidingWindowStore(store)) {
    throw new RangeError("rateLimit: a SlidingWindowStore needs algorithm: 'sliding-window'");
  }
  return limitWith(tokenBucketCounter(store ?? new MemoryTokenBucketStore(), now, requests, tokens), options, maxWaitMs, now);
}

function limitWith<L, R extends TakeResult>(counter: Counter<L, R>, options: RateLimitOptions, maxWaitMs: number, now: () => number): LanguageModelMiddleware {
  const limiter = new FifoLimiter(counter, maxWaitMs, now);
  const keyOption = options.key ?? 'default';
  const { requests: requestLimit, tokens: tokenLimit } = counter;

  /** One call's claim on the limits, kept until it is settled. */
  interface Reservation {
    laneKey: string;
    draws: Array<Draw<L>>;
    requestsDraw: Draw<L> | undefined;
    tokensDraw: Draw<L> | undefined;
    /** Tokens reserved in all; `output` of them for the reply. */
    tokens: number;
    output: number;
  }

  function reserve(request: CompletionRequest, context: MiddlewareContext): Reservation {
    const laneKey = typeof keyOption === 'string' ? keyOption : keyOption(request, context);
    const draws: Array<Draw<L>> = [];
    let requestsDraw: Draw<L> | undefined;
    let tokensDraw: Draw<L> | undefined;
    if (requestLimit !== undefined) {
      requestsDraw = { key: `${laneKey}:requests`, amount: 1, limit: requestLimit };
      draws.push(requestsDraw);
    }
    let tokens = 0;
    let output = 0;
    // Estimating costs a pass over the messages: skipped when tokens are not limited.
    if (tokenLimit !== undefined) {
      output = request.maxTokens ?? 0;
      tokens = estimateTokensFast({ messages: request.messages, tools: request.tools }) + output;
      tokensDraw = { key: `${laneKey}:tokens`, amount: tokens, limit: tokenLimit };
      draws.push(tokensDraw);
    }
    return { laneKey, draws, requestsDraw, tokensDraw, tokens, output };
  }

  /**
   * Squares a reservation with what the call used. `totalTokens` undefined (or 0, which is what
   * a provider that reports no usage leaves) means unknown: the prompt estimate is kept.
   */
  function settle(reservation: Reservation, granted: R, hit: boolean, totalTokens: number | undefined): void {
    const { requestsDraw, tokensDraw } = reservation;
    let refunded = false;
    if (hit) {
      if (requestsDraw !== undefined) counter.adjust(requestsDraw, -1, granted);
      if (tokensDraw !== undefined && reservation.tokens > 0) counter.adjust(tokensDraw, -reservation.tokens, granted);
      refunded = true;
    } else if (tokensDraw !== undefined) {
      const used = totalTokens !== undefined && totalTokens > 0 ? totalTokens : reservation.tokens - reservation.output;
      const delta = used - reservation.tokens;
      if (delta !== 0) counter.adjust(tokensDraw, delta, granted);
      refunded = delta < 0;
    }
    if (refunded) limiter.nudge(reservation.laneKey);
  }

  const tapStream: NonNullable<LanguageModelMiddleware['tapStream']> = (request, next, context) => {
    const reservation = reserve(request, context);
    const waiting = limiter.acquire(reservation.laneKey, reservation.draws, request.signal, context);
    const start = (granted: R) => {
      let totalTokens: number | undefined;
      let hit = false;
      return next(request).tap({
        onPart(part) {
          if (part.type === 'usage') totalTokens = part.usage.totalTokens;
          else if (part.type === 'finish') hit = isCacheHit(part);
        },
        // Also on error and on the consumer's early break: what was used is charged either way.
        onClose: () => settle(reservation, granted, hit, totalTokens),
      });
    };
    // The uncontended turn is granted at once: no await before the stream starts.
    return isPromise(waiting) ? waiting.then(start) : start(waiting);
  };

  return {
    name: 'rate-limit',
    async complete(request, next, context) {
      const reservation = reserve(request, context);
      const waiting = limiter.acquire(reservation.laneKey, reservation.draws, request.signal, context);
      const granted = isPromise(waiting) ? await waiting : waiting;
      let response;
      try {
        response = await next(request);
      } catch (error) {
        settle(reservation, granted, false, undefined);
        throw error;
      }
      settle(reservation, granted, isCacheHit(response), response.usage.totalTokens);
      return response;
    },
    tapStream,
    stream: streamFromTapStream(tapStream),
  };
}
