// Bundles tsc's dist/ into one ESM file per entry point plus shared chunks, as @kit/llm does (see
// its rolldown.config.js): Node's ESM loader pays per file, and `import('@kit/prompts')` read 102
// of ours; now 2. Measured (15 fresh processes each, @kit/llm and zod already loaded): 162 ms
// per-file against 69 ms bundled. Entry points share chunks, so classes such as PromptStoreError
// exist once and `instanceof` holds across subpaths. Declarations stay per-file in dist/.
import { defineConfig } from 'rolldown';

export default defineConfig({
  input: {
    index: 'dist/index.js',
    sqlite: 'dist/store/sqlite/index.js',
    postgres: 'dist/store/postgres/index.js',
  },
  // Packages stay imports: users share them (zod, @kit/llm), the optional peers load only from
  // their subpath through `import()`, and nunjucks, yaml and jstat stay lazy `require('x')` calls
  // on the package's one `require` (src/lazy-dependency.ts says why it is one).
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
