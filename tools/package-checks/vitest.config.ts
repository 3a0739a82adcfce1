import { mergeConfig } from 'vitest/config';
import { kitVitestConfig } from '../../vitest.shared.js';

// Packing, installing from the tarballs (better-sqlite3 compiles from source on a cold npm cache)
// and typechecking take minutes, not seconds. The tarballs are packed once, in the global setup.
export default mergeConfig(kitVitestConfig({ testTimeout: 600_000 }), {
  test: { hookTimeout: 900_000, globalSetup: ['src/pack-global-setup.ts'] },
});
