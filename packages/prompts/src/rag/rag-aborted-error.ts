import { RagError } from '../errors/prompt-error.js';

/**
 * A RAG search, embedding or run stopped by its `AbortSignal`. Its `name` is `AbortError`, as
 * for the platform's own abort rejections, so code that checks `error.name === 'AbortError'`
 * (including `@kit/llm`'s error classification) treats it as a cancellation, not a failure.
 * `cause` holds the signal's reason.
 */
export class RagAbortedError extends RagError {
  /**
   * Builds the error; `options.adapter` names the aborted adapter (without it, the whole run), and
   * `options.cause` should be the signal's reason.
   */
  constructor(options: { adapter?: string | undefined; templateName?: string | undefined; cause?: unknown } = {}) {
    const what = options.adapter === undefined ? 'RAG run' : `RAG adapter "${options.adapter}"`;
    super('rag-adapter', `${what} was aborted`, options);
    this.name = 'AbortError';
  }
}

/** Rejects at once, with `RagAbortedError`, when the signal has already aborted. */
export function throwIfRagAborted(signal: AbortSignal | undefined, adapter?: string): void {
  if (signal?.aborted === true) throw new RagAbortedError({ adapter, cause: signal.reason });
}
