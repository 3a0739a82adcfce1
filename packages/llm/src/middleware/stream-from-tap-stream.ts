import { PartStream } from '../stream/part-stream.js';
import type { StreamPart } from '../types/stream-part.js';
import type { LanguageModelMiddleware, MiddlewareContext, StreamNext, TapStreamNext } from './middleware.js';

type TapStream = NonNullable<LanguageModelMiddleware['tapStream']>;

/**
 * A layer's `stream` made from its `tapStream`, for calling the layer on its own, with any
 * `next`: `{ tapStream, stream: streamFromTapStream(tapStream) }`. Inside `wrapModel` the
 * `tapStream` form is used directly.
 */
export function streamFromTapStream(
  tapStream: TapStream,
): (request: Parameters<TapStream>[0], next: StreamNext, context: MiddlewareContext) => AsyncIterable<StreamPart> {
  return (request, next, context) => {
    const tapNext: TapStreamNext = (r) => PartStream.defer(() => PartStream.from(next(r)));
    return PartStream.defer(() => tapStream(request, tapNext, context));
  };
}
