// Bundles tsc's dist/ into one ESM file per entry point plus shared chunks, as @kit/llm does (see
// its rolldown.config.js): Node's ESM loader pays per file, and `import('@kit/conversations')`
// read 30 of ours; now 2. Measured (15 fresh processes each, its dependencies already loaded):
// 58 ms per-file against 15 ms bundled. Entry points share chunks, so classes such as
// ConversationStoreError exist once and `instanceof` holds across subpaths. Declarations stay
// per-file in dist/, as tsc writes them.
import { defineConfig } from 'rolldown';

export default defineConfig({
  input: {
    index: 'dist/index.js',
    sqlite: 'dist/store/sqlite/index.js',
    postgres: 'dist/store/postgres/index.js',
  },
  // Packages stay imports: users share them (zod, @kit/llm, @kit/prompts), and the optional peers
  // load only from their subpath through `import()`.
  external: [/^[^./]/],
  platform: 'node',
  // cleanDir: chunk names carry a hash, so without it every rebuild would leave the old chunks to be packed.
  // No JSDoc in the bundle: the declarations and sources users get carry it. Annotations
  // (`@__PURE__`) stay for bundlers' tree-shaking, legal comments for licences.
  output: {
    dir: 'dist/bundle',
    format: 'esm',
    chunkFileNames: '[name]-[hash].js',
    sourcemap: true,
    cleanDir: true,
    comments: { jsdoc: false, annotation: true, legal: true },
  },
});
