import { ProviderError } from '../errors/provider-error.js';
import { PartStream } from '../stream/part-stream.js';
import { SseDecoder, type SseEvent } from '../stream/sse-decoder.js';
import type { StreamMapper } from '../stream/stream-tap.js';
import type { ProviderStreamPart } from '../types/stream-part.js';
import { openaiSdk } from './openai-sdk.js';

type Result<T> = IteratorResult<T[], undefined>;
type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;

const DONE: Result<never> = Object.freeze({ done: true, value: undefined });
/** The most items in one batch (see `takeBatch`). */
const MAX_BATCH = 256;
const ignore = (): void => undefined;

/** As the SDK's `isAbortError`: what a body read rejects with once its fetch is aborted. */
function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** Options of {@link readOpenAIStream}. */
export interface OpenAIStreamOptions {
  /**
   * Fail on an `event: error` even when its data has no `error` field (Chat Completions, whose
   * chunks carry no type). Off, such an event is yielded like any other (the Responses API's
   * `error` events name their type in the data, and its mapper reads their code).
   */
  failOnErrorEvents?: boolean | undefined;
}

/**
 * The JSON items of an `openai` SSE stream (Chat Completion chunks, Responses API events), read
 * from the HTTP body of `response` with Kit's {@link SseDecoder}: the events of a network read are
 * decoded at once and handed out in batches of parsed items (growing from one item to
 * {@link MAX_BATCH}), so a stream costs a promise per batch, not the SDK's several per event.
 *
 * It keeps the SDK's stream semantics (`Stream.fromSSEResponse`): `data: [DONE]` ends the items
 * (the body is still read to its end, as the SDK does); data with an `error` field fails with the
 * SDK's `APIError` without status (which `mapOpenAIError` makes a `server` error); data that is
 * not JSON fails with the `SyntaxError`; a read that fails because `signal` aborted ends the
 * stream quietly (the caller's abort handling reports it). Items before a failure in the same
 * read are delivered first. `return()` cancels the body at once, even mid-read, which closes the
 * HTTP request; so does a failure. After a normal end there is nothing to close.
 */
export function readOpenAIStream<T>(response: Response, signal: AbortSignal | undefined, options: OpenAIStreamOptions = {}): AsyncIterableIterator<T[], undefined> {
  return new OpenAIStreamReader<T>(response, signal, options.failOnErrorEvents === true);
}

/**
 * The stream parts of an `openai` SSE response: each of {@link readOpenAIStream}'s batches is one
 * pull from the source, split at once into its items, which `mapper` turns into parts (a
 * `PartStream` holds the parts one item becomes, so no promise is spent per chunk).
 */
export function openAIStreamParts<T>(
  response: Response,
  signal: AbortSignal | undefined,
  mapper: StreamMapper<T, ProviderStreamPart>,
  options?: OpenAIStreamOptions,
): PartStream<ProviderStreamPart> {
  return PartStream.from(readOpenAIStream<T>(response, signal, options))
    .map<T>({ onPart: (batch) => batch })
    .map(mapper);
}

class OpenAIStreamReader<T> implements AsyncIterableIterator<T[], undefined> {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new SseDecoder();
  private finished = false;
  private sawDone = false;
  /** The events of the last read, and how many of them have been handed out. */
  private events: SseEvent[] = [];
  private taken = 0;
  private batchSize = 1;
  /** A failure met after some items of the same batch: thrown once those are delivered. */
  private failure: { error: unknown } | undefined;
  // Bound once, not per read.
  private readonly onRead = (result: ReadResult): Result<T> | Promise<Result<T>> => this.handleRead(result);
  private readonly onReadError = (error: unknown): Result<T> => this.handleReadError(error);

  constructor(
    private readonly response: Response,
    private readonly signal: AbortSignal | undefined,
    private readonly failOnErrorEvents: boolean,
  ) {
    if (response.body === null) {
      throw new ProviderError({ kind: 'server', message: 'openai: the streamed response has no body', provider: 'openai' });
    }
    this.reader = response.body.getReader();
  }

  next(): Promise<Result<T>> {
    const failure = this.failure;
    if (failure !== undefined) {
      this.failure = undefined;
      return Promise.reject(failure.error);
    }
    if (this.taken < this.events.length) {
      try {
        return Promise.resolve(this.takeBatch());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    if (this.finished) return Promise.resolve(DONE);
    return this.reader.read().then(this.onRead, this.onReadError);
  }

  /** Stops early: cancels the body, which ends a pending read and closes the connection. */
  return(): Promise<Result<T>> {
    this.cancel();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private handleRead(result: ReadResult): Result<T> | Promise<Result<T>> {
    if (this.finished) return DONE; // returned while the read was out
    if (result.done) {
      this.finished = true;
      // An event cut off by the end of the body is dropped, as by the SDK: without a finish
      // reason, the provider's mapper and the core report the stream as truncated.
      this.decoder.end();
      return DONE;
    }
    const events = this.decoder.push(result.value);
    // After [DONE] the body is read to its end, as the SDK does, but nothing in it is used.
    if (this.sawDone || events.length === 0) return this.next();
    this.events = events;
    this.taken = 0;
    return this.takeBatch();
  }

  /**
   * Parses the next events of the last read into a batch. Batches grow 1, 2, 4, ... up to
   * MAX_BATCH: a stream's first parts go out without waiting for the rest of a large first read
   * to be parsed and passed through every tap (time to first token), and later ones in bulk.
   */
  private takeBatch(): Result<T> | Promise<Result<T>> {
    const events = this.events;
    const end = Math.min(events.length, this.taken + this.batchSize);
    if (this.batchSize < MAX_BATCH) this.batchSize *= 2;
    const batch: T[] = [];
    for (let i = this.taken; i < end; i++) {
      const event = events[i]!;
      const data = event.data;
      if (data.startsWith('[DONE]')) {
        this.sawDone = true;
        break;
      }
      let item: { error?: unknown } | null;
      try {
        item = JSON.parse(data) as { error?: unknown } | null;
      } catch (error) {
        return this.fail(error, batch);
      }
      if (item?.error) return this.fail(new openaiSdk.APIError(undefined, item.error as object, undefined, this.response.headers), batch);
      if (this.failOnErrorEvents && event.type === 'error') {
        return this.fail(new openaiSdk.APIError(undefined, item ?? undefined, undefined, this.response.headers), batch);
      }
      batch.push(item as T);
    }
    if (this.sawDone) {
      this.events = [];
      this.taken = 0;
    } else this.taken = end;
    return batch.length === 0 ? this.next() : { done: false, value: batch };
  }

  private handleReadError(error: unknown): Result<T> {
    if (this.finished) return DONE;
    this.finished = true;
    // Aborted through the signal: the SDK ends its stream quietly, and so do we.
    if (isAbortError(error) || this.signal?.aborted) return DONE;
    throw error;
  }

  /** Fails after delivering `batch` (when it has items), and closes the body now. */
  private fail(error: unknown, batch: T[]): Result<T> {
    this.cancel();
    if (batch.length === 0) throw error;
    this.failure = { error };
    return { done: false, value: batch };
  }

  private cancel(): void {
    this.events = [];
    this.taken = 0;
    if (this.finished) return;
    this.finished = true;
    this.reader.cancel().catch(ignore);
  }
}
