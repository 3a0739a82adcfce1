import { createRequire } from 'node:module';

/**
 * The package's one `require`, for CommonJS dependencies loaded on first use. Each use names its
 * dependency literally (`require('yaml')`), so tools that look for a file's dependencies still
 * see it. One binding, not one per file: a bundler merging the files would rename all but one
 * (`require$1('yaml')`), and the shipped bundle would no longer name what it loads.
 */
export const require = createRequire(import.meta.url);

/**
 * A dependency loaded on its first use instead of at import: `load` runs once, on the first call.
 * nunjucks, yaml and jstat together took about half of `import('@kit/prompts')`, and most
 * programs use one of them or none; safe-stable-stringify and node:crypto took about another
 * 15 ms for a few functions. All are CommonJS (or built in) under Node, so `require('x')` gives
 * the instance an import would.
 */
export function lazyDependency<T>(load: () => unknown): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load() as T);
}
