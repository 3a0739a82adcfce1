/**
 * One holder at a time per key: turns of the same conversation run one after another, turns of
 * different conversations run freely. Idle keys hold no memory, and taking a free key allocates
 * no more than the release function (this runs on every turn).
 */
export class KeyedLock {
  /** Keys held, each with the callers waiting for it in arrival order (`null` while none wait). */
  readonly #waiting = new Map<string, Array<() => void> | null>();

  /**
   * Takes the key at once if it is free and returns its release function, else `undefined`
   * (nothing is queued). A free key is the common case; taking it this way costs no promise and
   * no trip through the microtask queue.
   */
  tryAcquire(key: string): (() => void) | undefined {
    if (this.#waiting.has(key)) return undefined;
    this.#waiting.set(key, null);
    return this.#releaser(key);
  }

  /** Waits for the key and returns the function that releases it (call it once). */
  acquire(key: string): Promise<() => void> {
    const free = this.tryAcquire(key);
    if (free !== undefined) return Promise.resolve(free);
    let queue = this.#waiting.get(key)!;
    if (queue === null) this.#waiting.set(key, (queue = []));
    return new Promise((resolve) => queue.push(() => resolve(this.#releaser(key))));
  }

  #releaser(key: string): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The key passes straight to the next waiter (it stays held meanwhile), so a caller of
      // `tryAcquire` never jumps the queue.
      const next = this.#waiting.get(key)?.shift();
      if (next === undefined) this.#waiting.delete(key);
      else next();
    };
  }
}
