/**
 * A zod schema built on its first use instead of at import: `build` runs once, on the first call.
 * The schemas that check options, tool definitions and replies are needed only once a runtime
 * or agent is made; building them at import was part of `import('@kit/fsm')`. Schemas the
 * package exports stay plain values.
 */
export function lazySchema<T>(build: () => T): () => T {
  let schema: T | undefined;
  return () => (schema ??= build());
}
