import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';
import { describe, expect, it } from 'vitest';

// `@kit/llm/redis` must load without ioredis: the stores take a client the user made, and only
// connectRedis imports ioredis, when called. Bundled as the package build bundles it.
describe('@kit/llm/redis imports', () => {
  it('imports ioredis only dynamically, inside connectRedis', async () => {
    const bundle = await rolldown({
      input: fileURLToPath(new URL('./index.ts', import.meta.url)),
      external: [/^[^./]/],
      platform: 'node',
      logLevel: 'silent',
    });
    const { output } = await bundle.generate({ format: 'esm' });
    await bundle.close();
    const code = output.map((chunk) => ('code' in chunk ? chunk.code : '')).join('\n');
    expect(code).not.toMatch(/^\s*(import|export)\b[^;(]*["']ioredis["']/m);
    expect(code).not.toMatch(/require\(\s*["']ioredis["']/);
    expect(code).toMatch(/import\(\s*["']ioredis["']\s*\)/);
  });
});
