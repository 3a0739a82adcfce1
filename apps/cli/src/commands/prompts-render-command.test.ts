import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKit } from '../test-support/kit-process.js';
import { tempDir } from '../test-support/temp-dir.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let library: string;

beforeAll(async () => {
  dir = await tempDir('render');
  library = join(dir.path, 'prompts');
  for (const kind of ['system', 'user', 'messages']) await mkdir(join(library, kind), { recursive: true });
  await writeFile(
    join(library, 'system', 'support.yaml'),
    ['template: "You are the support assistant of {{product}}.((  Tone: {{tone}}.))"', 'validation:', '  required: [product]'].join('\n'),
  );
  await writeFile(join(library, 'user', 'ask.yaml'), 'template: "Question: {{question}}\\nTags:{% for t in tags %} #{{t}}{% endfor %}"\n');
  await writeFile(
    join(library, 'messages', 'onboarding.yaml'),
    ['messages:', '  - role: system', '    prompt: support', '  - role: user', '    template: "Hi, I am {{name}}."'].join('\n'),
  );
});

afterAll(() => dir.remove());

describe('kit prompts render', () => {
  it('renders with --param values, JSON values as JSON, user text as data', async () => {
    const [system, user] = await Promise.all([
      runKit(['prompts', 'render', 'support', '--dir', library, '--param', 'product=Kit']),
      runKit(['prompts', 'render', 'ask', '--dir', library, '--param', 'question={{ secret }} ((x)) {% include "y" %} <|endoftext|>', '--param', 'tags=["a","b"]']),
    ]);
    expect(system).toMatchObject({ code: 0, stdout: 'You are the support assistant of Kit.\n' });
    expect(system.stderr).toBe('');
    expect(user.code, user.stderr).toBe(0);
    expect(user.stdout).toBe('Question: {{ secret }} ((x)) {% include "y" %} <|endoftext|>\nTags: #a #b\n');
  });

  it('fails on a missing required parameter with its name (exit 1)', async () => {
    const missing = await runKit(['prompts', 'render', 'support', '--dir', library, '--param', 'tone=warm']);
    expect(missing.code, missing.stderr).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe('kit: missing required parameter: product (template "support")\n');
  });

  it('takes a params file (flags win), renders message sequences, and prints --json', async () => {
    const params = await dir.file('params.yaml', 'product: Kit\nname: Ada\ntone: dry\n');
    const [text, json] = await Promise.all([
      runKit(['prompts', 'render', 'onboarding', '--dir', library, '--params-file', params, '--param', 'name=Grace']),
      runKit(['prompts', 'render', 'onboarding', '--dir', library, '--params-file', params, '--json']),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe('[system]\nYou are the support assistant of Kit.  Tone: dry.\n\n[user]\nHi, I am Grace.\n');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      name: 'onboarding',
      kind: 'messages',
      messages: [
        { role: 'system', content: 'You are the support assistant of Kit.  Tone: dry.' },
        { role: 'user', content: 'Hi, I am Ada.' },
      ],
      parametersUsed: ['product', 'tone', 'name'],
      parametersMissing: [],
      warnings: [],
    });
  });

  it('names what exists when the prompt does not (exit 1), and refuses bad flags (exit 2)', async () => {
    const badFile = await dir.file('bad.yaml', 'product: [unclosed\n');
    const [unknown, badParam, noDir, broken] = await Promise.all([
      runKit(['prompts', 'render', 'nope', '--dir', library]),
      runKit(['prompts', 'render', 'support', '--dir', library, '--param', 'product']),
      runKit(['prompts', 'render', 'support', '--param', 'product=Kit']),
      runKit(['prompts', 'render', 'support', '--dir', library, '--params-file', badFile]),
    ]);
    expect(unknown.code, unknown.stderr).toBe(1);
    expect(unknown.stderr).toBe(`kit: no prompt named "nope" in ${library} (system: support; user: ask; messages: onboarding)\n`);
    expect(badParam.code, badParam.stderr).toBe(2);
    expect(badParam.stderr).toBe('kit: --param "product" is not key=value\n');
    expect(noDir.code, noDir.stderr).toBe(2);
    expect(noDir.stderr).toContain("kit: required option '--dir <library>' not specified");
    expect(broken.code, broken.stderr).toBe(1);
    expect(broken.stderr).toMatch(/^kit: cannot parse .*bad\.yaml: .*bad\.yaml:line \d+, column \d+\)\n$/);
  });
});
