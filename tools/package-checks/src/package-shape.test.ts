import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { repoRoot } from './kit-packages.js';
import { runCommand } from './run-command.js';

// The package shape as the maintained linters see it, on the tarballs npm would publish:
// publint (exports, files, formats) and Are The Types Wrong (types per module resolution).
const packedPackages = inject('packedPackages');

const attwReportSchema = z.looseObject({
  problems: z.record(
    z.string(),
    z.array(z.looseObject({ kind: z.string(), entrypoint: z.string().optional(), resolutionKind: z.string().optional() })),
  ),
});

/**
 * Resolutions an ESM-only package does not serve: `require()` from CommonJS and TypeScript's
 * pre-`exports` `node10` resolution. attw's `esm-only` profile ignores exactly these.
 */
const ESM_ONLY_IGNORED = new Set(['node10', 'node16-cjs']);

describe.each(packedPackages)('$name', (packed) => {
  it('passes publint, warnings counted as errors', async () => {
    const tarball = await readFile(packed.tarball);
    const { messages, pkg } = await publint({ pack: { tarball: new Uint8Array(tarball).buffer }, strict: true, level: 'suggestion' });
    const report = messages.map((message) => `${message.type}: ${formatMessage(message, pkg) ?? message.code}`);
    expect(report.filter((line) => !line.startsWith('suggestion:'))).toEqual([]);
    if (report.length > 0) console.info(`${packed.name} publint suggestions:\n${report.join('\n')}`);
  });

  it('passes Are The Types Wrong for ESM (node16 from ESM, and bundlers)', async () => {
    const attw = join(repoRoot, 'node_modules', '.bin', 'attw');
    const args = [packed.tarball, '--profile', 'esm-only', '--format', 'json', '--no-definitely-typed'];
    const result = await runCommand(attw, args, { cwd: repoRoot, allowFailure: true, timeoutMs: 120_000 });
    const report = attwReportSchema.parse(JSON.parse(result.stdout));
    const problems = Object.values(report.problems)
      .flat()
      .filter((problem) => !ESM_ONLY_IGNORED.has(problem.resolutionKind ?? ''));
    expect(problems).toEqual([]);
    expect(result.code, result.stderr).toBe(0);
  });
});
