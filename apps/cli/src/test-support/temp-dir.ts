import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary folder; `remove` deletes it and everything in it. */
export async function tempDir(prefix: string): Promise<{ path: string; file: (name: string, content: string) => Promise<string>; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `kit-cli-${prefix}-`));
  return {
    path,
    file: async (name, content) => {
      const full = join(path, name);
      await writeFile(full, content);
      return full;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}
