/**
 * A small seeded pseudo-random generator (mulberry32, 32-bit state): the same seed gives the same
 * sequence of floats in [0, 1) on every run and machine, so simulations, property tests and load
 * plans repeat exactly and a failure reproduces from its seed. Not for anything secret.
 *
 * ```ts
 * const random = seededRandom(42);
 * const coin = random() < 0.5;
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
