import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKit } from '../test-support/kit-process.js';
import { BROKEN_MACHINE_YAML, SUPPORT_MACHINE } from '../test-support/support-machine.js';
import { tempDir } from '../test-support/temp-dir.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let good: string;
let broken: string;
let unparsable: string;

beforeAll(async () => {
  dir = await tempDir('validate');
  good = await dir.file('support.json', JSON.stringify(SUPPORT_MACHINE));
  broken = await dir.file('broken.yaml', BROKEN_MACHINE_YAML);
  unparsable = await dir.file('bad.json', '{"name": "x", "states": {');
});

afterAll(() => dir.remove());

describe('kit validate', () => {
  it('accepts a valid machine (exit 0) and reports each problem with its path (exit 1)', async () => {
    const [ok, bad] = await Promise.all([runKit(['validate', good]), runKit(['validate', broken])]);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toBe(`✓ ${good}: machine "support" is valid: 3 states, starts in intake, ends in done\n`);

    expect(bad.code, bad.stderr).toBe(1);
    expect(bad.stdout).toBe(
      [
        `✗ ${broken}: 3 problems`,
        '  states.start.transitions[0].target_state: unknown target state "nowhere"',
        '  states.island: state "island" cannot be reached from the initial state "start"',
        '  states: no terminal state can be reached from the initial state "start"',
        '  warning states.start.context_scope: ignored: LLM-FSM 3.0 context scoping is not applied; every state sees the whole context',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON only with --json, syntax errors included', async () => {
    const [ok, bad, syntax] = await Promise.all([runKit(['validate', good, '--json']), runKit(['validate', broken, '--json']), runKit(['validate', unparsable, '--json'])]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({
      file: good,
      valid: true,
      problems: [],
      warnings: [],
      machine: { name: 'support', initialState: 'intake', states: ['intake', 'triage', 'done'], terminalStates: ['done'] },
    });
    expect(bad.code, bad.stderr).toBe(1);
    const report = JSON.parse(bad.stdout) as { valid: boolean; problems: Array<{ path: string }>; warnings: Array<{ path: string }> };
    expect(report.valid).toBe(false);
    expect(report.problems.map((p) => p.path)).toEqual(['states.start.transitions[0].target_state', 'states.island', 'states']);
    expect(report.warnings.map((w) => w.path)).toEqual(['states.start.context_scope']);
    expect(syntax.code, syntax.stderr).toBe(1);
    expect(JSON.parse(syntax.stdout)).toMatchObject({ valid: false, problems: [{ path: '', message: expect.stringMatching(/^not valid JSON/) }] });
  });

  it('says which file cannot be read (exit 1)', async () => {
    const missing = await runKit(['validate', 'no-such-machine.yaml']);
    expect(missing).toMatchObject({ code: 1, stdout: '', stderr: 'kit: cannot read no-such-machine.yaml: no such file or directory\n' });
  });
});
