import { createRequire } from 'node:module';

/**
 * The package's one `require`, for dependencies loaded on first use instead of at import.
 * `import('@kit/llm')` is paid by every program that uses Kit, and safe-stable-stringify,
 * lru-cache and node:crypto together took about 19 ms of it while only the cache middleware and
 * the Redis stores use them. Each use names its dependency literally (`require('lru-cache')`), so
 * tools that look for a file's dependencies still see it; one binding for the package, because a
 * bundler merging files renames all but one (`require$1`).
 */
export const require = createRequire(import.meta.url);
