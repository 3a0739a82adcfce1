import { createRequire } from 'node:module';

/**
 * The package's one `require`, for dependencies loaded on first use instead of at import:
 * node:crypto took about 5 ms of `import('@kit/conversations')` for a hash made only for long
 * file-store ids (ids use the global `crypto.randomUUID()`, which also loads on first use). Each use names its dependency literally (`require('node:crypto')`), so tools that look
 * for a file's dependencies still see it; one binding for the package, because a bundler merging
 * files renames all but one (`require$1`).
 */
export const require = createRequire(import.meta.url);
