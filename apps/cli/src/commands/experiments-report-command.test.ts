import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKit, stderrWithoutProgress } from '../test-support/kit-process.js';
import { seedPromptStore } from '../test-support/seed-prompt-store.js';
import { tempDir } from '../test-support/temp-dir.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let store: string;

beforeAll(async () => {
  dir = await tempDir('experiments');
  const db = join(dir.path, 'prompts.db');
  await seedPromptStore(db);
  store = `sqlite:${db}`;
});

afterAll(() => dir.remove());

describe('kit experiments report', () => {
  it('shows each variant with its interval, the test against the control, and the decision', async () => {
    const [text, json] = await Promise.all([
      runKit(['experiments', 'report', 'greeting-warmth', '--store', store]),
      runKit(['experiments', 'report', 'greeting-warmth', '--store', store, '--json']),
    ]);
    expect(text.code, text.stderr).toBe(0);
    const out = text.stdout;
    expect(out).toContain('experiment greeting-warmth on system prompt "greeting" (running), primary metric success\n');
    expect(out).toMatch(/variant +version +weight +assigned +share +metric +n +mean +95% interval\n/);
    expect(out).toMatch(/control \(control\) +1\.0\.0 +50\.0% +200 +50\.0% +success +200 +0\.2 +\[0\.15\d*, 0\.26\d*\] wilson\n/);
    expect(out).toMatch(/warm +1\.0\.1 +50\.0% +200 +50\.0% +success +200 +0\.6 +\[0\.53\d*, 0\.66\d*\] wilson\n/);
    expect(out).toContain('sample ratio: 400 assignments, chi-square 0, p 1: ok\n');
    expect(out).toMatch(/warm vs control on success \(two-proportion\): difference \+0\.4 \[.*\], fixed-sample p .*; always-valid p .*, confidence sequence \[.*\]: winner\n/);
    expect(out).toMatch(/decision: winner \(warm\): warm beats control on success \(always-valid p = .*\)\n$/);

    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as { rows: Array<{ variant: string; metrics: Record<string, { count: number; mean: number }> }>; decision: { outcome: string; variant: string } };
    expect(report.rows.map((r) => [r.variant, r.metrics['success']!.count, r.metrics['success']!.mean])).toEqual([
      ['control', 200, 0.2],
      ['warm', 200, 0.6],
    ]);
    expect(report.decision).toMatchObject({ outcome: 'winner', variant: 'warm' });
  });

  it('refuses an unknown experiment (exit 1) and a bad --alpha (exit 2)', async () => {
    const [unknown, alpha] = await Promise.all([
      runKit(['experiments', 'report', 'nope', '--store', store]),
      runKit(['experiments', 'report', 'greeting-warmth', '--store', store, '--alpha', '2']),
    ]);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(stderrWithoutProgress(unknown.stderr)).toBe('kit: no experiment "nope"\n');
    expect(alpha).toMatchObject({ code: 2, stderr: 'kit: --alpha must be a number between 0 and 1, got "2"\n' });
  });
});
