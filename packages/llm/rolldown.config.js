// Bundles tsc's dist/ into one ESM file per entry point plus shared chunks, so that
// `import('@kit/llm')` reads a few files instead of ~40. Measured on the CI machine: median import
// 91 ms bundled against 104 ms per-file (21 fresh processes each); module loading, not our code,
// was the difference. Entry points share chunks, so classes such as ProviderError exist once and
// `instanceof` holds across subpaths. Declarations stay per-file in dist/, as tsc writes them.
import { defineConfig } from 'rolldown';

export default defineConfig({
  input: {
    index: 'dist/index.js',
    testing: 'dist/testing/index.js',
    openai: 'dist/openai/index.js',
    anthropic: 'dist/anthropic/index.js',
    ollama: 'dist/ollama/index.js',
    huggingface: 'dist/huggingface/index.js',
    redis: 'dist/redis/index.js',
  },
  // Packages stay imports: users share them (zod), and tiktoken must stay a lazy import.
  external: [/^[^./]/],
  platform: 'node',
  // cleanDir: chunk names carry a hash, so without it every rebuild would leave the old chunks to be packed.
  // No JSDoc in the bundle: the declarations and sources users get carry it; here it was a fifth of
  // what `import('@kit/llm')` reads (161 KB with, 125 KB without). Annotations (`@__PURE__`) stay
  // for bundlers' tree-shaking, legal comments for licences.
  output: {
    dir: 'dist/bundle',
    format: 'esm',
    chunkFileNames: '[name]-[hash].js',
    sourcemap: true,
    cleanDir: true,
    comments: { jsdoc: false, annotation: true, legal: true },
  },
});
