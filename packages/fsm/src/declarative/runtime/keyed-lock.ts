/**
 * One holder at a time per key: turns of the same conversation run one after another, turns of
 * different conversations run freely. Idle keys hold no memory, and taking a free key allocates
 * no more than the release function (this runs on every turn).
 */
export class KeyedLock {
  /** Keys held, each with the callers waiting for it, in arrival order. */
  readonly #waiting = new Map<string, Array<() => void>>();

  /** Waits for the key and returns the function that releases it (call it once). */
  acquire(key: string): Promise<() => void> {
    const queue = this.#waiting.get(key);
    if (queue === undefined) {
      this.#waiting.set(key, []);
      return Promise.resolve(this.#releaser(key));
    }
    return new Promise((resolve) => queue.push(() => resolve(this.#releaser(key))));
  }

  #releaser(key: string): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const queue = this.#waiting.get(key)!;
      const next = queue.shift();
      if (next === undefined) this.#waiting.delete(key);
      else next();
    };
  }
}
