import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS dependency loaded on its first use instead of at import. nunjucks, yaml and jstat
 * together took about half of `import('@kit/prompts')`, and most programs use one of them or none.
 * All three are CommonJS under Node, so `require` gives the same module instance `import` would.
 */
export function lazyDependency<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
