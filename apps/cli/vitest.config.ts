import { kitVitestConfig } from '../../vitest.shared.js';

// The end-to-end tests spawn the built binary (the `test` target depends on `build`); a spawned
// CLI on a busy two-core machine needs more than the default 15 s now and then.
export default kitVitestConfig({ testTimeout: 30_000 });
