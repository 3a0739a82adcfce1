/** The most a sliding window admits: at most `max` in any `windowMs` span. */
export interface WindowLimit {
  /** The most admitted, summed, in any half-open span of `windowMs`. */
  readonly max: number;
  /** The span, in ms. */
  readonly windowMs: number;
}

/** One log to admit into: `amount` into the window named `key`, which has `limit`. */
export interface WindowDraw {
  /** The window's name: draws with the same key share one log (e.g. `<lane>:tokens`). */
  readonly key: string;
  /** How much to admit: 1 for a request, or the tokens a call reserves. */
  readonly amount: number;
  /** The window's `max` and `windowMs`. */
  readonly limit: WindowLimit;
}

/**
 * Which admission a later {@link SlidingWindowStore.adjust} refers to: the time the store gave the
 * entries (on the store's clock) and their id, the same in every window of one take.
 */
export interface WindowAdmission {
  /** The time the store gave the entries, in ms on the store's clock. */
  readonly at: number;
  /** Identifies the take's entries, the same in each of its windows; opaque to callers. */
  readonly id: string | number;
}

/** The outcome of {@link SlidingWindowStore.take}: `waitMs` as in a token bucket's `TakeResult`, plus the admission when granted. */
export type WindowTakeResult =
  | {
      /** Every draw was admitted. */
      readonly granted: true;
      /** Always 0 when granted. */
      readonly waitMs: 0;
      /** What to pass to `adjust` to correct this take later. */
      readonly admission: WindowAdmission;
    }
  | {
      /** Nothing was admitted. */
      readonly granted: false;
      /** How long until every draw would fit, in whole ms, at least 1. */
      readonly waitMs: number;
      /** Never set when refused. */
      readonly admission?: undefined;
    };

/**
 * The outcome of {@link SlidingWindowStore.takeBatch}: the admissions of the draw sets admitted,
 * from the first on, and when not all were, how long until the first one refused would fit.
 */
export interface WindowBatchResult {
  /** One per admitted set, in order: sets `0 .. admissions.length - 1` were admitted. */
  readonly admissions: readonly WindowAdmission[];
  /** 0 when every set was admitted; else the refused set's wait (a whole ms, >= 1). */
  readonly waitMs: number;
}

/**
 * Sliding-window logs that one or more limiters admit into: each key keeps the (time, amount) of
 * every admission of the last `windowMs`, and admits a draw only when the amounts in the window
 * plus the draw stay within `max`. Unlike a token bucket it has no burst: the amounts admitted in
 * ANY span of `windowMs`, the first after an idle spell included, never exceed `max`.
 *
 * It has the same shape as a `TokenBucketStore` (`take(draws, now)` answering `{ granted, waitMs }`,
 * synchronously or with a promise) so that the `rateLimit` middleware queues callers the same way
 * over either; `kind` tells the two apart at run time. What differs is reconciliation: a token
 * bucket refunds into one level, which would let a window hold more than it admitted; here a
 * refund shrinks the call's own entry, which only ever lowers a window's sum, so `take` hands back
 * a {@link WindowAdmission} and `adjust` names it.
 *
 * Rules every store follows, so that limiters behave the same over any of them:
 * - `take` is all-or-nothing over its draws; each key appears at most once in a take (a
 *   `RangeError` otherwise). When not granted, `waitMs` (a whole ms, >= 1) is how long until
 *   enough old entries leave every window.
 * - The store's time is monotonic per key: `max(now, the newest entry of the take's keys)`. Callers
 *   whose clocks reach the store out of order therefore never put an entry behind one already
 *   admitted, which is what keeps the guarantee exact; `admission.at` is that time.
 * - An entry at `t` counts in the window until the store's time reaches `t + windowMs` (windows
 *   are half-open), then is dropped.
 * - A draw larger than `max` would never fit: it is granted once its window holds nothing (sum 0),
 *   and then overfills that one window on its own; everything after it waits until it leaves.
 * - `adjust` with `delta < 0` shrinks the admission's own entry (never below 0; nothing happens
 *   once it has left the window). With `delta > 0` it adds an entry of `delta` at the store's time,
 *   unchecked: usage beyond what a call reserved has already happened, so it can push a window
 *   past `max`, and later admissions wait until it leaves. The guarantee is strict for what calls
 *   reserve; it holds for what they use as long as reservations are not below use.
 * - `now` is the caller's clock in ms. A store shared across machines may use its own clock
 *   instead (Redis `TIME`), as long as it is consistent.
 */
export interface SlidingWindowStore {
  /** Tells this contract from a `TokenBucketStore`: `rateLimit` checks it against its `algorithm`. */
  readonly kind: 'sliding-window';
  /** Admits every draw into its window, all or nothing; when not granted, says how long to wait. */
  take(draws: readonly WindowDraw[], now: number): Promise<WindowTakeResult> | WindowTakeResult;
  /**
   * Optional: takes several draw sets at once, in order, as consecutive `take`s at the same `now`
   * would, and stops at the first set that does not fit (so a later, smaller set never passes a
   * refused one). Every set names the same keys with the same limits, in the same order (the draws
   * of one limiter key; amounts may differ); a `RangeError` otherwise. Each admitted set gets its
   * own admission id. The `rateLimit` middleware uses it to serve several queued callers in one
   * call: for a remote store, one round trip instead of one per caller, which is what lets a
   * queue keep up when many entries leave the window at once.
   */
  takeBatch?(sets: ReadonlyArray<readonly WindowDraw[]>, now: number): Promise<WindowBatchResult> | WindowBatchResult;
  /** Optional: without it, reservations are final and never reconciled. */
  adjust?(key: string, delta: number, limit: WindowLimit, now: number, admission: WindowAdmission): Promise<void> | void;
}

/**
 * Throws unless every set names the keys of the first, with the same limits, in the same order:
 * what {@link SlidingWindowStore.takeBatch} accepts.
 */
export function checkBatchShape(sets: ReadonlyArray<readonly WindowDraw[]>, store: string): void {
  const first = sets[0];
  if (first === undefined) return;
  for (let s = 1; s < sets.length; s++) {
    const set = sets[s]!;
    let same = set.length === first.length;
    for (let i = 0; same && i < set.length; i++) {
      const a = set[i]!;
      const b = first[i]!;
      same = a.key === b.key && a.limit.max === b.limit.max && a.limit.windowMs === b.limit.windowMs;
    }
    if (!same) throw new RangeError(`${store}: takeBatch: every set must name the same keys with the same limits, in the same order`);
  }
}

/** The float slack of a sum of fractional amounts; integer amounts sum exactly. */
const EPSILON = 1e-9;

/** One key's log: parallel arrays from `head` on, oldest first, ids increasing. */
interface WindowLog {
  times: number[];
  amounts: number[];
  ids: number[];
  head: number;
  sum: number;
  /** The newest entry's time (the store's clock for this key never goes below it). */
  newest: number;
  windowMs: number;
}

// Logs whose every entry has left the window hold nothing: swept now and then, so that
// per-tenant keys do not pile up.
const SWEEP_EVERY = 1024;

function checkDistinct(draws: readonly WindowDraw[], store: string): void {
  for (let i = 1; i < draws.length; i++) {
    for (let j = 0; j < i; j++) {
      if (draws[i]!.key === draws[j]!.key) throw new RangeError(`${store}: take: the key ${JSON.stringify(draws[i]!.key)} appears twice`);
    }
  }
}

/** Sliding-window logs in this process's memory: exact, synchronous, entries dropped as they leave the window. */
export class MemorySlidingWindowStore implements SlidingWindowStore {
  readonly kind = 'sliding-window';
  private readonly logs = new Map<string, WindowLog>();
  private nextId = 1;
  private takesSinceSweep = 0;

  take(draws: readonly WindowDraw[], now: number): WindowTakeResult {
    if (draws.length > 1) checkDistinct(draws, 'MemorySlidingWindowStore');
    if (++this.takesSinceSweep >= SWEEP_EVERY) this.sweep(now);
    let at = now;
    for (let i = 0; i < draws.length; i++) {
      const log = this.logs.get(draws[i]!.key);
      if (log !== undefined && log.newest > at) at = log.newest;
    }
    let waitMs = 0;
    for (let i = 0; i < draws.length; i++) {
      const draw = draws[i]!;
      const log = this.logs.get(draw.key);
      if (log === undefined) continue;
      trim(log, at, draw.limit.windowMs);
      const wait = waitFor(log, Math.min(draw.amount, draw.limit.max), draw.limit, at);
      if (wait > waitMs) waitMs = wait;
    }
    if (waitMs > 0) return { granted: false, waitMs };
    const id = this.nextId++;
    for (let i = 0; i < draws.length; i++) {
      const draw = draws[i]!;
      append(this.log(draw.key, draw.limit), at, draw.amount, id);
    }
    return { granted: true, waitMs: 0, admission: { at, id } };
  }

  takeBatch(sets: ReadonlyArray<readonly WindowDraw[]>, now: number): WindowBatchResult {
    checkBatchShape(sets, 'MemorySlidingWindowStore');
    const admissions: WindowAdmission[] = [];
    for (const set of sets) {
      const taken = this.take(set, now);
      if (!taken.granted) return { admissions, waitMs: taken.waitMs };
      admissions.push(taken.admission);
    }
    return { admissions, waitMs: 0 };
  }

  adjust(key: string, delta: number, limit: WindowLimit, now: number, admission: WindowAdmission): void {
    if (delta > 0) {
      const log = this.log(key, limit);
      const at = Math.max(now, log.newest);
      trim(log, at, limit.windowMs);
      append(log, at, delta, this.nextId++);
      return;
    }
    const log = this.logs.get(key);
    if (log === undefined || delta === 0 || typeof admission.id !== 'number') return;
    const index = findId(log, admission.id);
    if (index < 0) return;
    const amount = log.amounts[index]!;
    const reduced = Math.max(0, amount + delta);
    log.amounts[index] = reduced;
    log.sum -= amount - reduced;
  }

  /** What the window of `key` holds at `now`, summed (0 when never used); for tests and diagnostics. */
  usage(key: string, limit: WindowLimit, now: number): number {
    const log = this.logs.get(key);
    if (log === undefined) return 0;
    const at = Math.max(now, log.newest);
    let sum = 0;
    for (let i = log.head; i < log.times.length; i++) if (log.times[i]! > at - limit.windowMs) sum += log.amounts[i]!;
    return sum;
  }

  /** How many keys hold a log; for tests of the sweep. */
  get size(): number {
    return this.logs.size;
  }

  private log(key: string, limit: WindowLimit): WindowLog {
    let log = this.logs.get(key);
    if (log === undefined) {
      log = { times: [], amounts: [], ids: [], head: 0, sum: 0, newest: Number.NEGATIVE_INFINITY, windowMs: limit.windowMs };
      this.logs.set(key, log);
    }
    log.windowMs = limit.windowMs;
    return log;
  }

  private sweep(now: number): void {
    this.takesSinceSweep = 0;
    for (const [key, log] of this.logs) {
      if (log.newest <= now - log.windowMs) this.logs.delete(key);
    }
  }
}

/** Drops the entries that left the window at `at`, keeping the sum. */
function trim(log: WindowLog, at: number, windowMs: number): void {
  const cutoff = at - windowMs;
  const { times, amounts } = log;
  let head = log.head;
  while (head < times.length && times[head]! <= cutoff) log.sum -= amounts[head++]!;
  if (head === times.length) {
    // Empty: reset exactly, so float error in fractional sums never outlives the entries.
    times.length = 0;
    amounts.length = 0;
    log.ids.length = 0;
    log.sum = 0;
    log.head = 0;
    return;
  }
  // Compact once the dropped prefix is half the arrays, so memory stays bounded by the window.
  if (head > 64 && head * 2 > times.length) {
    times.splice(0, head);
    amounts.splice(0, head);
    log.ids.splice(0, head);
    head = 0;
  }
  log.head = head;
}

/**
 * 0 when `needed` fits in the window at `at`, else the ms until enough of the oldest entries leave.
 * `needed` is the draw capped at `max`, so an oversized draw waits for an empty window.
 */
function waitFor(log: WindowLog, needed: number, limit: WindowLimit, at: number): number {
  const excess = log.sum + needed - limit.max;
  if (excess <= EPSILON) return 0;
  let freed = 0;
  for (let i = log.head; i < log.times.length; i++) {
    freed += log.amounts[i]!;
    if (excess - freed <= EPSILON) return Math.max(1, Math.ceil(log.times[i]! + limit.windowMs - at));
  }
  // Unreachable while the sum matches the entries; the whole window is the longest wait.
  return Math.max(1, Math.ceil(log.times.at(-1)! + limit.windowMs - at));
}

function append(log: WindowLog, at: number, amount: number, id: number): void {
  log.times.push(at);
  log.amounts.push(amount);
  log.ids.push(id);
  log.sum += amount;
  log.newest = at;
}

/** The index of `id` among the live entries (ids increase with position), or -1. */
function findId(log: WindowLog, id: number): number {
  let lo = log.head;
  let hi = log.ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (log.ids[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < log.ids.length && log.ids[lo] === id ? lo : -1;
}
