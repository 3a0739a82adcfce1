import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKit } from '../test-support/kit-process.js';
import { BROKEN_MACHINE_YAML, SUPPORT_MACHINE } from '../test-support/support-machine.js';
import { tempDir } from '../test-support/temp-dir.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let machine: string;

beforeAll(async () => {
  dir = await tempDir('graph');
  machine = await dir.file('support.json', JSON.stringify(SUPPORT_MACHINE));
});

afterAll(() => dir.remove());

describe('kit graph', () => {
  it('draws Mermaid by default and DOT on request', async () => {
    const [mermaid, dot] = await Promise.all([runKit(['graph', machine]), runKit(['graph', machine, '--format', 'dot'])]);
    expect(mermaid).toMatchObject({ code: 0, stderr: '' });
    expect(mermaid.stdout).toBe(
      [
        'stateDiagram-v2',
        '  state "intake" as s0',
        '  state "triage" as s1',
        '  state "done" as s2',
        '  [*] --> s0',
        // `#59;` is Mermaid's entity for `;`, which would end the statement.
        '  s0 --> s1 : the issue is known (priority 100) / when issue known#59; needs issue',
        '  s1 --> s2 : the user is happy (priority 100)',
        '  s2 --> [*]',
        '',
      ].join('\n'),
    );
    expect(dot.code, dot.stderr).toBe(0);
    expect(dot.stdout).toMatch(/^digraph "support" \{\n/);
    expect(dot.stdout).toContain('"intake" -> "triage" [label="the issue is known (priority 100)\\nwhen issue known; needs issue"];');
    expect(dot.stdout).toContain('"done" [label="done", shape=doublecircle];');
    expect(dot.stdout.endsWith('}\n')).toBe(true);
  });

  it('refuses an unknown format (exit 2) and a broken machine (exit 1, problems listed)', async () => {
    const brokenFile = await dir.file('broken.yaml', BROKEN_MACHINE_YAML);
    const [format, broken] = await Promise.all([runKit(['graph', machine, '--format', 'svg']), runKit(['graph', brokenFile])]);
    expect(format.code, format.stderr).toBe(2);
    expect(format.stderr).toContain("kit: option '--format <format>' argument 'svg' is invalid. Allowed choices are mermaid, dot.");
    expect(broken.code, broken.stderr).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain(`kit: The machine definition in ${brokenFile} has 3 problems\n  states.start.transitions[0].target_state: unknown target state "nowhere"\n`);
  });
});
