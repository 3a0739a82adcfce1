import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKitPackages, repoRoot } from './kit-packages.js';
import { runCommand, type CommandResult } from './run-command.js';

// `npm run docs` as CI runs it: TypeDoc over every package with the repository's typedoc.json,
// whose validation treats an undocumented export, a link to something not exported, or a public
// signature naming a type the reference does not show as an error. Written to a temporary folder.
describe('the API reference (typedoc.json)', () => {
  let out: string;
  let result: CommandResult;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'kit-api-docs-'));
    const typedoc = join(repoRoot, 'node_modules', '.bin', 'typedoc');
    result = await runCommand(typedoc, ['--options', 'typedoc.json', '--out', out, '--logLevel', 'Warn'], {
      cwd: repoRoot,
      allowFailure: true,
      timeoutMs: 600_000,
    });
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('builds with no warning: every exported symbol and method documented, every link resolved', () => {
    const warnings = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => /\[(warning|error)\]/.test(line));
    expect(warnings).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('has a page for every package', async () => {
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    const modules = await readdir(join(out, 'modules'));
    for (const { name } of readKitPackages()) {
      expect(modules, name).toContain(`${name.replace('@', '_').replace('/', '_')}.html`);
    }
  });
});
