import { createRequire } from 'node:module';

/**
 * The package's one `require`, for dependencies loaded on first use instead of at import:
 * json-logic-js alone took 15-20 ms of `import('@kit/fsm')`, and yaml more, while only logic
 * conditions and YAML definitions use them. Each use names its
 * dependency literally (`require('yaml')`), so tools that look for a file's dependencies still
 * see it; one binding for the package, because a bundler merging files renames all but one
 * (`require$1`). json-logic-js and yaml are CommonJS under Node, so `require('x')` gives the
 * instance an import would.
 */
export const require = createRequire(import.meta.url);
