/**
 * A dependency loaded on its first use instead of at import: `load` runs once, on the first call.
 * nunjucks, yaml and jstat together took about half of `import('@kit/prompts')`, and most
 * programs use one of them or none. All three are CommonJS under Node, so each file loads its
 * own with `createRequire(import.meta.url)`: `require('x')` gives the instance an import would,
 * and tools that look for a file's dependencies still see the literal `require('x')`.
 */
export function lazyDependency<T>(load: () => unknown): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load() as T);
}
