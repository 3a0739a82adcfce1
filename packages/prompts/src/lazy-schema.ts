import { lazyDependency } from './lazy-dependency.js';

/**
 * A zod schema built on its first use instead of at import: `build` runs once, on the first call
 * (the same memoising as {@link lazyDependency}). Building the schemas that only check arguments
 * of functions a program may never call (RAG adapters, experiment statistics, parser options) was
 * several milliseconds of `import('@kit/prompts')`. Schemas the package exports stay plain values.
 */
export const lazySchema: <T>(build: () => T) => () => T = lazyDependency;
