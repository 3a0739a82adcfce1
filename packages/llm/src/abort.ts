import { abortedError } from './errors/provider-error.js';

/**
 * Settles with `promise`, or rejects as `aborted` as soon as `signal` aborts, whether or not the
 * work behind the promise listens to the signal. This is what bounds an abort to a few ms.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, provider?: string): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortedError(provider, signal.reason));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(provider, signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Resolves after `ms`, or rejects as `aborted` when the signal aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortedError(undefined, signal.reason));
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(undefined, signal?.reason));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A controller that aborts when `parent` does; call `dispose` to stop listening. */
export function linkedAbortController(parent: AbortSignal | undefined): {
  /** The linked controller: abort it to stop only this work; it aborts with `parent`'s reason. */
  controller: AbortController;
  /** Stops listening to `parent`; call it once the controller is no longer needed. */
  dispose: () => void;
} {
  const controller = new AbortController();
  if (parent === undefined) return { controller, dispose: () => undefined };
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { controller, dispose: () => undefined };
  }
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return { controller, dispose: () => parent.removeEventListener('abort', onAbort) };
}
