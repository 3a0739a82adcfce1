/**
 * Runs async tasks one at a time per key, in call order. The file store uses it so that calls in
 * one process on one conversation never interleave (the lock file serializes processes; this
 * serializes a process's own calls without polling for its own lock).
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    try {
      return await result;
    } finally {
      // The last task for a key removes the key, so the map does not grow with every id ever used.
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}
