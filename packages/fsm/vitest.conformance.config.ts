import { kitVitestConfig } from '../../vitest.shared.js';

// `npm run test:conformance`: replays the recorded provider payloads in ../shared.
export default kitVitestConfig({
  include: ['src/**/*.conformance.test.ts'],
  exclude: ['**/node_modules/**', '**/dist/**'],
  reportName: 'conformance',
});
