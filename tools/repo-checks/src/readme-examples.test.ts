import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

// Every ```ts block of every package README runs here, as a module importing the package by its
// public name (resolved from the package's own folder), so the examples users copy cannot drift
// from the API. A README may opt a block out with ```ts no-run.
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const packages = (await readdir(join(repo, 'packages'))).filter((name) => existsSync(join(repo, 'packages', name, 'README.md'))).sort();
const scratchDirs: string[] = [];

afterAll(async () => {
  await Promise.all(scratchDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

for (const name of packages) {
  const packageDir = join(repo, 'packages', name);
  const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  if (blocks.length === 0) continue;
  // Inside the package, so bare imports resolve as they would for the package's users.
  const scratch = join(packageDir, 'test-results', 'readme-examples');
  scratchDirs.push(scratch);

  describe(`packages/${name}/README.md`, () => {
    blocks.forEach((code, index) => {
      const title = code.split('\n').find((line) => line.trim() !== '' && !line.startsWith('import')) ?? '';
      it(`example ${index + 1} runs: ${title.slice(0, 60)}`, async () => {
        await mkdir(scratch, { recursive: true });
        const file = join(scratch, `example-${index + 1}.ts`);
        await writeFile(file, code);
        const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
        try {
          const module: unknown = await import(/* @vite-ignore */ file);
          expect(module).toBeDefined();
        } finally {
          log.mockRestore();
        }
      });
    });
  });
}
