import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

// Every ```ts block of the README runs here, as a module importing '@kit/prompts' by its public
// name, so the examples users copy cannot drift from the API.
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const scratch = join(packageDir, 'test-results', 'readme-examples');

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('README examples', () => {
  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  blocks.forEach((code, index) => {
    const title = code.split('\n').find((line) => line.trim() !== '' && !line.startsWith('import')) ?? '';
    it(`example ${index + 1} runs: ${title.slice(0, 60)}`, async () => {
      await mkdir(scratch, { recursive: true });
      const file = join(scratch, `example-${index + 1}.ts`);
      await writeFile(file, code);
      const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      try {
        await import(/* @vite-ignore */ file);
      } finally {
        log.mockRestore();
      }
    });
  });
});
