import type { StreamPart } from '../types/stream-part.js';

/** How a stream ended: it ran out on its own, it failed, or its consumer stopped early (`return()`). */
export type StreamOutcome = 'end' | 'error' | 'return';

/**
 * Synchronous hooks that watch, or rewrite, the parts of a {@link PartStream} as they pass. A
 * stream runs all its taps in one loop over its source, in the order they were added (the
 * innermost layer's tap first), so a tap costs a function call per part, not a promise.
 *
 * Hooks must not block: anything slow belongs before the stream starts (in a middleware's
 * `tapStream`), not per part. They are called as plain functions, not methods (`this: void`):
 * a bound call would cost every part a little more, so keep state in closures.
 */
export interface StreamTap<T = StreamPart> {
  /**
   * Sees a part on its way out. Return nothing to pass it on as it is, a part to pass on instead,
   * or an array to pass on those parts in its place (empty: drop it). A throw fails the stream:
   * the error goes to the `onError` of the taps added after this one.
   */
  onPart?(this: void, part: T): T | readonly T[] | void;
  /** The stream is about to ask its source for more (not called for parts it already holds). */
  onPull?(this: void): void;
  /**
   * The source ran out on its own, and this tap has seen every part before it. Returned parts are
   * passed on, through the later taps only. A throw fails the stream, as in `onPart`.
   */
  onEnd?(this: void): readonly T[] | void;
  /**
   * The stream failed, from its source or an earlier tap. Return an error to fail with instead
   * (the later taps see that one), or nothing to keep this one.
   */
  onError?(this: void, error: unknown): unknown;
  /**
   * The stream is over: called once per tap, last, however it ended. Must not throw (an error
   * thrown here is dropped, so that every tap gets closed).
   */
  onClose?(this: void, outcome: StreamOutcome): void;
}

/**
 * A tap that turns a source's items into parts of another type (a provider's chunks into stream
 * parts): like {@link StreamTap}, but `onPart` always says what comes out (an empty array for
 * nothing), since the item itself is of the wrong type to pass on.
 */
export interface StreamMapper<In, Out> {
  /** Turns one item of the source into the parts it stands for (an empty array for none). */
  onPart(this: void, item: In): Out | readonly Out[];
  /** As {@link StreamTap.onPull}. */
  onPull?(this: void): void;
  /** As {@link StreamTap.onEnd}: the source ran out; returned parts are passed on. */
  onEnd?(this: void): readonly Out[] | void;
  /** As {@link StreamTap.onError}: return an error to fail with instead. */
  onError?(this: void, error: unknown): unknown;
  /** As {@link StreamTap.onClose}: called once, last, however the stream ended. */
  onClose?(this: void, outcome: StreamOutcome): void;
}
