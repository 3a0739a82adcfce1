import { kitVitestConfig } from '../vitest.shared.js';

export default kitVitestConfig();
