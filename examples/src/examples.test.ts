import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
/** Variables that would put an example on a real provider. */
const PROVIDER_ENV = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'OLLAMA_HOST', 'HF_TOKEN', 'KIT_MODEL'];

/** Runs a built example offline; resolving means it exited 0. */
async function runExample(name: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const variable of PROVIDER_ENV) delete env[variable];
  const { stdout, stderr } = await run(process.execPath, [`dist/${name}.js`], { cwd: root, env });
  expect(stderr).toBe('');
  return stdout;
}

/** What each example must print (as it prints it), in order. */
const EXPECTED: Record<string, Array<string | RegExp>> = {
  'provider-with-middleware': [
    'model: offline, a scripted model standing in for gpt-4o-mini',
    'complete: Kit is a TypeScript toolkit',
    'retry: 1 failed attempt(s) retried',
    /stream: \d+ text parts: Retries wait longer/,
    'structured: language=TypeScript, packages=4',
    'cache: the first question again is a hit',
    /ledger: 3 billed calls, \d+ input and \d+ output tokens, \$0\.\d{6}/,
  ],
  'prompt-library-with-rag': [
    'library: system prompts ["answer-with-notes"], user prompts ["question"]',
    'retrieved: refund-time, returns',
    '- A refund reaches your card within 5 business days',
    'user text stays data: Question: What is {{NOTES}}? {% include "secrets" %}',
    'answer: A refund reaches your card',
  ],
  'branched-conversation': [
    /stored in .*conversations\.sqlite, conversation [0-9a-f-]{36}/,
    'answer 0.0: ',
    'regenerate 0.1: ',
    'edit, then answer 1.0: ',
    'switched back: the model now sees system > user > assistant',
    'tree (6 nodes, 3 branches',
    '    - 1 user: What is BM25, in five words?',
    'resumed: 3 messages on the active path; 1 call(s) on it, 2 on other branches',
  ],
  'declarative-machine': [
    'machine: table-booking',
    'ask_party -> ask_time',
    'refused: "_vip" is a system key; the model cannot set it',
    'confirm -> booked',
    /resumed by a new runtime: state booked, context .*"_reference":"TK-42"/,
    'stateDiagram-v2',
  ],
  'agent-with-breaking-tool': [
    /paused in "review" on ask_manager; memory saved to .*refund-session\.json/,
    'loaded: state review, checkpoint present, bucket 0 "A-1002: $180 refund, jacket arrived torn."',
    'issue_refund -> ok: Refunded $180 on A-1002.',
    'resumed and finished: ',
    'state: done',
  ],
};

describe('examples', () => {
  beforeAll(() => {
    if (!existsSync(join(root, 'dist'))) throw new Error('examples/dist is missing: build first (npx nx run @kit/examples:build; nx runs the build before this test)');
  });

  it('has an expectation for every example in src/', () => {
    const examples = readdirSync(fileURLToPath(new URL('.', import.meta.url)))
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .map((file) => file.slice(0, -3))
      .sort();
    expect(examples).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name} runs offline and prints what it does`, async () => {
      const stdout = await runExample(name);
      let from = 0;
      for (const line of expected) {
        const rest = stdout.slice(from);
        const match = typeof line === 'string' ? { index: rest.indexOf(line), length: line.length } : (() => {
          const m = line.exec(rest);
          return { index: m?.index ?? -1, length: m?.[0].length ?? 0 };
        })();
        expect(match.index, `${name} should print ${String(line)} after what came before`).toBeGreaterThanOrEqual(0);
        from += match.index + match.length;
      }
    }, 30_000);
  }

  it('runs an example by name through the run-example script, and lists them for an unknown name', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const variable of PROVIDER_ENV) delete env[variable];
    const { stdout } = await run(process.execPath, ['scripts/run-example.mjs', 'declarative-machine'], { cwd: root, env });
    expect(stdout).toContain('[booked] host:');
    const failed = run(process.execPath, ['scripts/run-example.mjs', '../src/nope'], { cwd: root, env });
    await expect(failed).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('agent-with-breaking-tool') });
  }, 30_000);
});
