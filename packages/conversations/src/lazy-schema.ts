/**
 * A zod schema built on its first use instead of at import: `build` runs once, on the first call.
 * The schemas that check store arguments, file records and tree options are needed only once a
 * store or tree is used; building them at import was part of `import('@kit/conversations')`.
 * Schemas the package exports stay plain values.
 */
export function lazySchema<T>(build: () => T): () => T {
  let schema: T | undefined;
  return () => (schema ??= build());
}
