import { kitVitestConfig } from '../../vitest.shared.js';

// The tests start real worker processes, PostgreSQL clusters and load runs: minutes, not seconds.
export default kitVitestConfig({ testTimeout: 120_000 });
