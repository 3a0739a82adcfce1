// One ESM file per entry point plus shared chunks (see kit-bundle.rolldown.js):
// `import('@kit/conversations')` read 30 of our files, now 2. Measured (15 fresh processes each,
// its dependencies already loaded): 58 ms per-file against 15 ms bundled.
import { kitBundleConfig } from '../../kit-bundle.rolldown.js';

export default kitBundleConfig({
  index: 'dist/index.js',
  sqlite: 'dist/store/sqlite/index.js',
  postgres: 'dist/store/postgres/index.js',
});
