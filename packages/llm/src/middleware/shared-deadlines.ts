import { setMaxListeners } from 'node:events';

/**
 * One deadline shared by every call that started within the same short slice of time: one
 * AbortController and one timer for all of them. Node 20 spends several µs building an
 * AbortSignal (more than the rest of a cached, rate-limited, logged call), so giving each call its
 * own would make the timeout the most expensive middleware in a chain.
 */
export interface SharedDeadline {
  /** Aborted, with the reason the owner's `makeReason` gave, when the deadline passes while calls are still in it. */
  readonly signal: AbortSignal;
  /** Leaves the deadline; call once when the call ends, however it ends. */
  leave(): void;
}

class Slot implements SharedDeadline {
  readonly controller = new AbortController();
  readonly signal: AbortSignal = this.controller.signal;
  pending = 0;
  readonly timer: ReturnType<typeof setTimeout>;

  constructor(
    readonly deadline: number,
    delayMs: number,
    private readonly owner: SharedDeadlines,
  ) {
    // Any number of calls in flight may listen to this signal (fetch adds one listener per request).
    setMaxListeners(0, this.signal);
    this.timer = setTimeout(() => owner.expire(this), delayMs);
    // Unreferenced while no call is in it: a slot kept for later joiners must not hold the process open.
    this.timer.unref();
  }

  enter(): this {
    if (this.pending++ === 0) this.timer.ref();
    return this;
  }

  leave(): void {
    if (--this.pending === 0) this.timer.unref();
  }
}

/**
 * Hands out {@link SharedDeadline}s at least `ms` away. A call joins the newest slot when that
 * slot's deadline is at least `ms` after the call starts; otherwise a new slot opens, with its
 * deadline `ms` plus one slice (1/64 of `ms`, at least 1 ms) away. So every call gets at least `ms`
 * and at most `ms` plus a slice, and calls made one after another share a controller and a timer
 * for a whole slice instead of building one each.
 */
export class SharedDeadlines {
  private current: Slot | undefined;
  private readonly sliceMs: number;

  /** `makeReason` builds the abort reason when a deadline passes with calls in it (not before: an Error captures a stack). */
  constructor(
    private readonly ms: number,
    private readonly makeReason: () => unknown,
  ) {
    this.sliceMs = Math.max(1, ms / 64);
  }

  /** A deadline at least `ms` from now; `leave()` it when the call ends. */
  join(): SharedDeadline {
    const now = performance.now();
    const slot = this.current;
    if (slot !== undefined && slot.deadline >= now + this.ms && !slot.signal.aborted) return slot.enter();
    const delay = this.ms + this.sliceMs;
    const opened = new Slot(now + delay, delay, this);
    this.current = opened;
    return opened.enter();
  }

  /** @internal The slot's timer fired. */
  expire(slot: Slot): void {
    if (this.current === slot) this.current = undefined;
    if (slot.pending > 0) slot.controller.abort(this.makeReason());
  }
}
