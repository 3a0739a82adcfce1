// The rolldown config every published @kit package builds its dist/bundle with (each package's
// rolldown.config.js names its entry points and says what bundling gained it). Node's ESM loader
// pays per file, so `import('@kit/x')` should read a few files, not one per module. Entry points
// share chunks, so classes such as ProviderError exist once and `instanceof` holds across subpaths.
// Declarations stay per-file in dist/, as tsc writes them.
import { defineConfig } from 'rolldown';

/** @param {Record<string, string>} input entry name -> tsc output file, e.g. `{ index: 'dist/index.js' }` */
export function kitBundleConfig(input) {
  return defineConfig({
    input,
    // Packages stay imports: users share them (zod, the Kit packages below), optional peers load
    // only from their subpath through `import()`, and lazy CommonJS dependencies stay literal
    // `require('x')` calls (tools/package-checks reads them).
    external: [/^[^./]/],
    platform: 'node',
    // cleanDir: chunk names carry a hash, so without it every rebuild would leave old chunks to be packed.
    // No JSDoc in the bundle: the declarations and sources users get carry it (for @kit/llm it was a
    // fifth of what the import reads). Annotations (`@__PURE__`) stay for bundlers' tree-shaking,
    // legal comments for licences.
    output: {
      dir: 'dist/bundle',
      format: 'esm',
      chunkFileNames: '[name]-[hash].js',
      sourcemap: true,
      cleanDir: true,
      comments: { jsdoc: false, annotation: true, legal: true },
    },
  });
}
