// One ESM file per entry point plus shared chunks (see kit-bundle.rolldown.js). Measured on the CI
// machine: median import 91 ms bundled against 104 ms per-file (21 fresh processes each); module
// loading, not our code, was the difference. tiktoken stays a lazy import (packages are external).
import { kitBundleConfig } from '../../kit-bundle.rolldown.js';

export default kitBundleConfig({
  index: 'dist/index.js',
  testing: 'dist/testing/index.js',
  openai: 'dist/openai/index.js',
  anthropic: 'dist/anthropic/index.js',
  ollama: 'dist/ollama/index.js',
  huggingface: 'dist/huggingface/index.js',
  redis: 'dist/redis/index.js',
});
