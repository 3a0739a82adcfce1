// One ESM file per entry point plus shared chunks (see kit-bundle.rolldown.js): `import('@kit/prompts')`
// read 102 of our files, now 2. Measured (15 fresh processes each, @kit/llm and zod already
// loaded): 162 ms per-file against 69 ms bundled. nunjucks, yaml and jstat stay lazy `require('x')`
// calls on the package's one `require` (src/lazy-dependency.ts says why it is one).
import { kitBundleConfig } from '../../kit-bundle.rolldown.js';

export default kitBundleConfig({
  index: 'dist/index.js',
  sqlite: 'dist/store/sqlite/index.js',
  postgres: 'dist/store/postgres/index.js',
});
