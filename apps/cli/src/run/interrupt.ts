import type { CompletionRequest, LanguageModelMiddleware } from '@kit/llm';

/**
 * Ctrl-C for `kit run`: the first interrupt aborts the model call under way (through a
 * middleware that adds this signal to every request) and tells listeners (the line reader
 * closes), so the session ends cleanly and says how to resume. Every finished turn is already
 * in the store.
 */
export class Interrupt {
  readonly #controller = new AbortController();
  readonly #listeners: Array<() => void> = [];

  /** Aborted once interrupted. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get interrupted(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Calls `listener` on the interrupt (at once if it already happened). */
  onInterrupt(listener: () => void): void {
    if (this.interrupted) listener();
    else this.#listeners.push(listener);
  }

  /** Interrupts; later calls do nothing. */
  trigger(): void {
    if (this.interrupted) return;
    this.#controller.abort(new Error('interrupted by the user'));
    for (const listener of this.#listeners.splice(0)) listener();
  }

  /** A middleware that ties every model call to this interrupt. */
  middleware(): LanguageModelMiddleware {
    const withSignal = (request: CompletionRequest): CompletionRequest => ({
      ...request,
      signal: request.signal === undefined ? this.signal : AbortSignal.any([request.signal, this.signal]),
    });
    return {
      name: 'kit-cli-interrupt',
      complete: (request, next) => next(withSignal(request)),
      tapStream: (request, next) => next(withSignal(request)),
    };
  }
}
