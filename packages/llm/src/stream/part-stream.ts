import type { StreamPart } from '../types/stream-part.js';
import type { StreamMapper, StreamOutcome, StreamTap } from './stream-tap.js';

type PartHook = (part: unknown) => unknown;

/** One tap's hooks, taken out once, so that the per-part loop calls plain functions. */
interface Stage {
  readonly onPart: PartHook | undefined;
  readonly onPull: (() => void) | undefined;
  readonly onEnd: (() => readonly unknown[] | void) | undefined;
  readonly onError: ((error: unknown) => unknown) | undefined;
  readonly onClose: ((outcome: StreamOutcome) => void) | undefined;
}

/** A part held back (several came out of one item, or `ready()` fetched it), and the first part hook it has yet to pass. */
interface Held {
  readonly part: unknown;
  readonly from: number;
}

type Result = IteratorResult<unknown>;
type Opened = PartStream<unknown> | AsyncIterable<unknown> | Iterable<unknown>;

const DONE: Result = Object.freeze({ done: true, value: undefined });
const RESOLVED: Promise<void> = Promise.resolve();
/** What `runHooks` returns when the item did not come out as exactly one part. */
const NOTHING = Symbol('nothing');
const ignore = (): void => undefined;

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function toStage(tap: StreamTap<any> | StreamMapper<any, any>): Stage {
  // Not bound: hooks are `this: void` (see StreamTap), and a bound call costs more per part.
  return {
    onPart: tap.onPart as PartHook | undefined,
    onPull: tap.onPull,
    onEnd: tap.onEnd,
    onError: tap.onError,
    onClose: tap.onClose,
  };
}

/**
 * An async stream of parts that runs any number of {@link StreamTap}s in one loop over its source:
 * each item costs one promise from the source and one function call per tap, however many taps
 * (middleware layers, the core, a provider's chunk mapping) take part. It is its own iterator,
 * good for one pass, like a generator.
 *
 * - `PartStream.from(source)` streams an async or sync iterable (a `PartStream` comes back as is).
 * - `PartStream.defer(open)` runs `open` at the first pull (or `ready()`) and then streams what it
 *   returned; taps added before that join the opened stream, after its own.
 * - `tap` adds a tap after the ones already there; `map` adds one that changes the part type.
 * - Breaking out of a `for await` (`return()`) closes every tap and returns the source, which is
 *   how an HTTP request behind it gets closed.
 */
export class PartStream<T = StreamPart> implements AsyncIterableIterator<T> {
  // Where items come from: an iterable not yet started, its iterator, or an opener. Once a
  // deferred stream has opened, it hands everything to the stream it opened (`target`).
  private iterable: AsyncIterable<unknown> | Iterable<unknown> | undefined;
  private iterator: AsyncIterator<unknown> | Iterator<unknown> | undefined;
  private syncSource = false;
  private opener: (() => Opened | Promise<Opened>) | undefined;
  private opening: Promise<void> | undefined;
  private target: PartStream<unknown> | undefined;

  private readonly stages: Stage[] = [];
  private readonly partHooks: PartHook[] = [];
  /** For each part hook, the index of its stage: an error it throws goes to the stages after it. */
  private readonly partHookStages: number[] = [];
  private pullHooks: Array<() => void> | undefined;
  private readonly held: Held[] = [];

  private sourceDone = false;
  private endedStages = 0;
  private outcome: StreamOutcome | undefined;
  /** The pull out to the source, if any. */
  private pulling: Promise<Result> | undefined;
  /** Set while `ready()` fetches: the end of the source then waits for the consumer. */
  private readying = false;

  private abortSignal: AbortSignal | undefined;
  private abortError: (() => unknown) | undefined;
  private abortListener: (() => void) | undefined;
  /** Set by the abort listener. */
  private aborted = false;
  /** The settlers of the consumer's pending promise, while an abortable pull is out. */
  private pullResolve: ((result: Result | Promise<Result>) => void) | undefined;
  private pullReject: ((error: unknown) => void) | undefined;

  // Bound once the source starts, and only on streams that have one.
  private onResult: ((result: Result) => Result | Promise<Result>) | undefined;
  private onSourceError: ((error: unknown) => Result) | undefined;
  private captureSettlers: ((resolve: (result: Result | Promise<Result>) => void, reject: (error: unknown) => void) => void) | undefined;
  private onAbortableResult: ((result: Result) => void) | undefined;
  private onAbortableError: ((error: unknown) => void) | undefined;

  private constructor() {}

  /** A stream over `source`, started at the first pull. A `PartStream` is returned as it is. */
  static from<T>(source: AsyncIterable<T> | Iterable<T>): PartStream<T> {
    if (source instanceof PartStream) return source as PartStream<T>;
    const stream = new PartStream<T>();
    stream.iterable = source;
    return stream;
  }

  /**
   * A stream whose source is made at the first pull (or `ready()`): a throw or rejection of `open`
   * fails the stream, through its taps, instead of the caller.
   */
  static defer<T>(open: () => AsyncIterable<T> | Iterable<T> | Promise<AsyncIterable<T> | Iterable<T>>): PartStream<T> {
    const stream = new PartStream<T>();
    stream.opener = open as () => Opened | Promise<Opened>;
    return stream;
  }

  /** Adds a tap after those already there (outside them, in middleware terms). */
  tap(tap: StreamTap<T>): this {
    this.addStage(toStage(tap));
    return this;
  }

  /** Adds a tap that turns each item into parts of another type; returns this stream, retyped. */
  map<U>(mapper: StreamMapper<T, U>): PartStream<U> {
    this.addStage(toStage(mapper));
    return this as unknown as PartStream<U>;
  }

  /**
   * Ends the stream as soon as `signal` aborts, even while its source is stuck in a read: the
   * pending pull fails with `error()`, which passes through every tap's `onError`.
   */
  endOnAbort(signal: AbortSignal, error: () => unknown): this {
    if (this.target !== undefined) {
      this.finalTarget().endOnAbort(signal, error);
      return this;
    }
    if (this.abortSignal === undefined) {
      this.abortSignal = signal;
      this.abortError = error;
    } else {
      const [first, firstError] = [this.abortSignal, this.abortError!];
      this.abortSignal = AbortSignal.any([first, signal]);
      this.abortError = () => (first.aborted ? firstError() : error());
      this.removeAbortListener();
    }
    return this;
  }

  /**
   * Settles once the first part has arrived (held for the consumer), or the source ended
   * without one; rejects when the stream fails before that. What retry and fallback layers wait
   * for before they let a stream through.
   */
  ready(): Promise<void> {
    if (this.target !== undefined) return this.finalTarget().ready();
    if (this.outcome !== undefined || this.held.length > 0 || this.sourceDone) return RESOLVED;
    if (this.opener !== undefined || this.opening !== undefined) return this.open().then(() => this.ready());
    if (this.iterator === undefined) {
      // Started here rather than in next(), so that a source that turns out to be another
      // PartStream is delegated to before the first part is fetched.
      try {
        this.startSource();
      } catch (error) {
        return Promise.reject(error);
      }
      if (this.target !== undefined) return this.finalTarget().ready();
    }
    if (this.pulling !== undefined) return this.pulling.then(() => this.ready());
    this.readying = true;
    return this.next().then(
      (result) => {
        this.readying = false;
        if (!result.done) this.held.unshift({ part: result.value, from: this.partHooks.length });
      },
      (error: unknown) => {
        this.readying = false;
        throw error;
      },
    );
  }

  /** The next part, after every tap has seen it; `done` once the stream is over. */
  next(): Promise<IteratorResult<T>> {
    if (this.target !== undefined) return this.finalTarget().next() as Promise<IteratorResult<T>>;
    try {
      // The hot path: a started async source, nothing held, nothing pending.
      if (
        this.iterator !== undefined &&
        this.pulling === undefined &&
        this.held.length === 0 &&
        this.outcome === undefined &&
        !this.sourceDone &&
        !this.syncSource
      ) {
        return this.pullAsync() as Promise<IteratorResult<T>>;
      }
      return Promise.resolve(this.step()) as Promise<IteratorResult<T>>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Stops the stream early: closes every tap (outcome `return`) and returns the source. */
  return(): Promise<IteratorResult<T>> {
    if (this.target !== undefined) return this.finalTarget().return() as Promise<IteratorResult<T>>;
    if (this.outcome !== undefined) return Promise.resolve(DONE as IteratorResult<T>);
    const inFlight = this.pulling !== undefined;
    const returned = this.close('return');
    const resolve = this.pullResolve;
    if (resolve !== undefined) {
      this.pullResolve = this.pullReject = undefined;
      resolve(DONE);
    }
    // A source stuck in a read may never answer return(); the close above has already told the
    // taps (the core aborts its request there), so only a source at rest is waited for.
    if (returned === undefined || inFlight) return Promise.resolve(DONE as IteratorResult<T>);
    return returned.then(
      () => DONE as IteratorResult<T>,
      () => DONE as IteratorResult<T>,
    );
  }

  /** The stream itself: a `PartStream` is its own iterator, to be consumed once. */
  [Symbol.asyncIterator](): this {
    return this;
  }

  private finalTarget(): PartStream<unknown> {
    let target = this.target!;
    while (target.target !== undefined) target = target.target;
    this.target = target;
    return target;
  }

  private addStage(stage: Stage): void {
    if (this.target !== undefined) {
      this.finalTarget().addStage(stage);
      return;
    }
    const index = this.stages.push(stage) - 1;
    if (stage.onPart !== undefined) {
      this.partHooks.push(stage.onPart);
      this.partHookStages.push(index);
    }
    if (stage.onPull !== undefined) (this.pullHooks ??= []).push(stage.onPull);
    if (this.outcome !== undefined) {
      try {
        stage.onClose?.(this.outcome);
      } catch {
        // Dropped, as in close().
      }
    }
  }

  /** Everything that is not the hot path; throws what the consumer's `next()` rejects with. */
  private step(): Result | Promise<Result> {
    if (this.target !== undefined) return this.finalTarget().next();
    if (this.held.length > 0) {
      const result = this.takeHeld();
      if (result !== undefined) return result;
    }
    if (this.outcome !== undefined) return DONE;
    if (this.opener !== undefined || this.opening !== undefined) {
      const opening = this.open();
      if (this.target !== undefined) return this.finalTarget().next();
      return opening.then(() => this.next());
    }
    if (this.pulling !== undefined) {
      // A second next() before the first settled: served in order, after it.
      return this.pulling.then(
        () => this.next(),
        () => this.next(),
      );
    }
    if (this.sourceDone) return this.endStages();
    return this.pull();
  }

  private pull(): Result | Promise<Result> {
    if (this.iterator === undefined) {
      this.startSource();
      if (this.target !== undefined) return this.finalTarget().next();
    }
    if (!this.syncSource) return this.pullAsync();
    const iterator = this.iterator as Iterator<unknown>;
    // A loop, not recursion through handleResult: a long run of dropped items must not grow the stack.
    for (;;) {
      this.runPullHooks();
      let result: Result;
      try {
        result = iterator.next();
      } catch (error) {
        this.sourceDone = true;
        throw this.failWith(error, 0);
      }
      if (result.done) {
        this.sourceDone = true;
        return this.readying ? DONE : this.endStages();
      }
      const part = this.runHooks(result.value, 0, this.held);
      if (part !== NOTHING) return { done: false, value: part };
      if (this.held.length > 0 || this.outcome !== undefined) return this.step();
    }
  }

  private pullAsync(): Promise<Result> {
    if (this.pullHooks !== undefined) this.runPullHooks();
    const iterator = this.iterator as AsyncIterator<unknown>;
    const signal = this.abortSignal;
    if (signal === undefined) return (this.pulling = iterator.next().then(this.onResult, this.onSourceError));
    // Once listening, the listener tracks the abort: no `signal.aborted` (a checked getter) per part.
    if (this.abortListener === undefined) {
      if (signal.aborted) throw this.failWith(this.abortError!(), 0);
      this.listenForAbort(signal);
    } else if (this.aborted) throw this.failWith(this.abortError!(), 0);
    // Our own promise, so that an abort can settle it while the source's read is still out.
    const pending = new Promise<Result>(this.captureSettlers!);
    let read: Promise<Result>;
    try {
      read = iterator.next();
    } catch (error) {
      read = Promise.reject(error);
    }
    read.then(this.onAbortableResult, this.onAbortableError);
    return (this.pulling = pending);
  }

  private runPullHooks(): void {
    const pullHooks = this.pullHooks;
    if (pullHooks === undefined) return;
    try {
      for (let i = 0; i < pullHooks.length; i++) pullHooks[i]!();
    } catch (error) {
      throw this.failWith(error, 0);
    }
  }

  private startSource(): void {
    const iterable = this.iterable!;
    this.iterable = undefined;
    const asyncIterator = (iterable as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator];
    let iterator: AsyncIterator<unknown> | Iterator<unknown>;
    try {
      iterator = asyncIterator !== undefined ? asyncIterator.call(iterable) : (iterable as Iterable<unknown>)[Symbol.iterator]();
    } catch (error) {
      this.sourceDone = true;
      throw this.failWith(error, 0);
    }
    if (iterator instanceof PartStream) {
      this.adopt(iterator);
      return;
    }
    this.syncSource = asyncIterator === undefined;
    this.iterator = iterator;
    this.onResult = (result) => this.handleResult(result);
    this.onSourceError = (error) => {
      this.pulling = undefined;
      if (this.outcome !== undefined) return DONE; // failed after return() or an abort: already over
      this.sourceDone = true;
      throw this.failWith(error, 0);
    };
    if (this.syncSource) return;
    // The abortable pull's handlers, made once per stream rather than per part.
    this.captureSettlers = (resolve, reject) => {
      this.pullResolve = resolve;
      this.pullReject = reject;
    };
    this.onAbortableResult = (result) => {
      const resolve = this.pullResolve;
      if (resolve === undefined) return; // settled by an abort or return() meanwhile
      const reject = this.pullReject!;
      this.pullResolve = this.pullReject = undefined;
      try {
        resolve(this.handleResult(result));
      } catch (error) {
        reject(error);
      }
    };
    this.onAbortableError = (error) => {
      const resolve = this.pullResolve;
      if (resolve === undefined) return;
      const reject = this.pullReject!;
      this.pullResolve = this.pullReject = undefined;
      try {
        resolve(this.onSourceError!(error));
      } catch (failure) {
        reject(failure);
      }
    };
  }

  private handleResult(result: Result): Result | Promise<Result> {
    this.pulling = undefined;
    if (this.outcome !== undefined) return DONE; // ended while the read was out: return() or an abort
    if (result.done) {
      this.sourceDone = true;
      return this.readying ? DONE : this.endStages();
    }
    const part = this.runHooks(result.value, 0, this.held);
    if (part !== NOTHING) return { done: false, value: part };
    return this.step(); // dropped, or several parts now held
  }

  /**
   * Passes one item through the part hooks from `from` on. Returns the part that came out, or
   * NOTHING when it was dropped or became several parts (those go to `sink`, fully processed).
   */
  private runHooks(item: unknown, from: number, sink: Held[]): unknown {
    const hooks = this.partHooks;
    let part = item;
    let i = from;
    try {
      for (; i < hooks.length; i++) {
        const out = hooks[i]!(part);
        if (out === undefined) continue;
        if (Array.isArray(out)) {
          for (let j = 0; j < out.length; j++) {
            const one = this.runHooks(out[j], i + 1, sink);
            if (one !== NOTHING) sink.push({ part: one, from: hooks.length });
          }
          return NOTHING;
        }
        part = out;
      }
    } catch (error) {
      throw this.failWith(error, this.partHookStages[i]! + 1);
    }
    return part;
  }

  private takeHeld(): Result | undefined {
    const held = this.held;
    while (held.length > 0) {
      const head = held.shift()!;
      if (head.from >= this.partHooks.length) return { done: false, value: head.part };
      const sink: Held[] = [];
      const part = this.runHooks(head.part, head.from, sink);
      if (part !== NOTHING) return { done: false, value: part };
      held.unshift(...sink);
    }
    return undefined;
  }

  /** The source has run out and nothing is held: each stage's `onEnd`, then the end. */
  private endStages(): Result | Promise<Result> {
    while (this.endedStages < this.stages.length) {
      const index = this.endedStages++;
      const onEnd = this.stages[index]!.onEnd;
      if (onEnd === undefined) continue;
      let parts: readonly unknown[] | void;
      try {
        parts = onEnd();
      } catch (error) {
        throw this.failWith(error, index + 1);
      }
      if (parts !== undefined && parts.length > 0) {
        let from = 0;
        while (from < this.partHookStages.length && this.partHookStages[from]! <= index) from++;
        for (const part of parts) this.held.push({ part, from });
        return this.step();
      }
    }
    this.close('end');
    return DONE;
  }

  /** Fails the stream: `error` passes through the `onError` of stages from `fromStage` on. Returns what to throw. */
  private failWith(error: unknown, fromStage: number): unknown {
    if (this.outcome !== undefined) return error;
    let failure = error;
    const stages = this.stages;
    for (let i = fromStage; i < stages.length; i++) {
      const onError = stages[i]!.onError;
      if (onError === undefined) continue;
      try {
        const replaced = onError(failure);
        if (replaced !== undefined) failure = replaced;
      } catch (thrown) {
        failure = thrown;
      }
    }
    this.close('error');
    return failure;
  }

  /** Closes every stage; returns the source's `return()` when the source had not finished. */
  private close(outcome: StreamOutcome): Promise<unknown> | undefined {
    if (this.outcome !== undefined) return undefined;
    this.outcome = outcome;
    this.held.length = 0;
    this.removeAbortListener();
    for (const stage of this.stages) {
      if (stage.onClose === undefined) continue;
      try {
        stage.onClose(outcome);
      } catch {
        // Dropped: one tap's failing cleanup must not keep the others from theirs.
      }
    }
    const iterator = this.iterator;
    if (iterator === undefined || this.sourceDone) return undefined;
    this.sourceDone = true;
    try {
      const returned = iterator.return?.();
      if (isPromiseLike(returned)) {
        const settled = Promise.resolve(returned);
        settled.catch(ignore);
        return settled;
      }
    } catch {
      // A source that fails to close has nothing more to give either way.
    }
    return undefined;
  }

  private open(): Promise<void> {
    if (this.opening !== undefined) return this.opening;
    const opener = this.opener!;
    this.opener = undefined;
    let opened: Opened | Promise<Opened>;
    try {
      opened = opener();
    } catch (error) {
      return (this.opening = Promise.reject(this.failWith(error, 0)));
    }
    if (!isPromiseLike(opened)) {
      this.adopt(opened);
      return (this.opening = RESOLVED);
    }
    const pending = this.abortSignal === undefined ? Promise.resolve(opened) : this.raceOpen(Promise.resolve(opened));
    return (this.opening = pending.then(
      (stream) => {
        if (this.outcome !== undefined) void PartStream.from(stream).return();
        else this.adopt(stream);
      },
      (error: unknown) => {
        // After return(), nobody waits for the opening: the stream is over already.
        if (this.outcome !== undefined) return;
        throw this.failWith(error, 0);
      },
    ));
  }

  /** The opener's promise, or the abort error as soon as the signal aborts (the opened stream is then closed). */
  private raceOpen(opened: Promise<Opened>): Promise<Opened> {
    const signal = this.abortSignal!;
    const error = this.abortError!;
    const discard = () => opened.then((stream) => void PartStream.from(stream).return(), ignore);
    if (signal.aborted) {
      discard();
      return Promise.reject(error());
    }
    return new Promise<Opened>((resolve, reject) => {
      const onAbort = () => {
        reject(error());
        discard();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      opened.then(
        (stream) => {
          signal.removeEventListener('abort', onAbort);
          resolve(stream);
        },
        (failure: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(failure);
        },
      );
    });
  }

  /** Hands this deferred stream's taps and abort to the stream it opened, and delegates to it from now on. */
  private adopt(opened: Opened): void {
    let inner = PartStream.from(opened) as PartStream<unknown>;
    while (inner.target !== undefined) inner = inner.target;
    for (const stage of this.stages) inner.addStage(stage);
    if (this.abortSignal !== undefined) inner.endOnAbort(this.abortSignal, this.abortError!);
    this.removeAbortListener();
    // From here on every method delegates first, so this stream's own stages are never read again.
    this.target = inner;
  }

  private listenForAbort(signal: AbortSignal): void {
    if (this.abortListener !== undefined) return;
    this.abortListener = () => {
      this.aborted = true;
      const reject = this.pullReject;
      // Not waiting on the source: the next pull sees the abort.
      if (reject === undefined || this.outcome !== undefined) return;
      this.pullResolve = this.pullReject = undefined;
      this.pulling = undefined;
      reject(this.failWith(this.abortError!(), 0));
    };
    signal.addEventListener('abort', this.abortListener);
  }

  private removeAbortListener(): void {
    if (this.abortListener === undefined) return;
    this.abortSignal!.removeEventListener('abort', this.abortListener);
    this.abortListener = undefined;
  }
}
