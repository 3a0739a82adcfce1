import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIServer } from './test-support/fake-openai-server.js';
import { runKit, stderrWithoutProgress } from './test-support/kit-process.js';
import { SUPPORT_MACHINE } from './test-support/support-machine.js';
import { tempDir } from './test-support/temp-dir.js';

// The command line as a whole: help, version, and the exit codes of usage errors and failures.

let dir: Awaited<ReturnType<typeof tempDir>>;
let machine: string;

beforeAll(async () => {
  dir = await tempDir('usage');
  machine = await dir.file('support.json', JSON.stringify(SUPPORT_MACHINE));
});

afterAll(() => dir.remove());

describe('kit usage', () => {
  it('prints the version, and help with examples for every command and subcommand', async () => {
    const commands = [[], ['run'], ['validate'], ['graph'], ['prompts'], ['prompts', 'render'], ['prompts', 'versions'], ['experiments'], ['experiments', 'report'], ['conversations'], ['conversations', 'list'], ['conversations', 'show']];
    const [version, ...helps] = await Promise.all([runKit(['--version']), ...commands.map((c) => runKit([...c, '--help']))]);
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
    helps.forEach((help, i) => {
      const name = ['kit', ...commands[i]!].join(' ');
      expect(help.code, name).toBe(0);
      expect(help.stdout, name).toMatch(new RegExp(`^Usage: ${name}`));
      expect(help.stdout, name).toMatch(/\nExamples:\n {2}(# .*\n {2})?\$ kit /);
    });
    expect(helps[0]!.stdout).toContain('Exit codes:\n  0  ok');
    expect(helps[1]!.stdout).toContain('--resume <id>');
  });

  it('takes the default store from KIT_STORE, and never shows its password', async () => {
    const help = await runKit(['conversations', 'list', '--help'], { env: { KIT_STORE: 'postgres://kit:s3cret-pw@db.example/x' } });
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('(default: postgres://kit:****@db.example/x)');
    expect(help.stdout).not.toContain('s3cret-pw');
  });

  it('treats unknown commands and options, and a missing command, as usage errors (exit 2)', async () => {
    const [command, option, none, subcommand] = await Promise.all([runKit(['frobnicate']), runKit(['validate', machine, '--frob']), runKit([]), runKit(['prompts'])]);
    expect(command.code, command.stderr).toBe(2);
    expect(command.stderr).toContain("kit: unknown command 'frobnicate'");
    expect(option.code, option.stderr).toBe(2);
    expect(option.stderr).toContain("kit: unknown option '--frob'");
    expect(option.stderr).toContain('(add --help for usage and examples)');
    expect(none.code, none.stderr).toBe(2);
    expect(none.stderr).toContain('Usage: kit');
    expect(subcommand.code, subcommand.stderr).toBe(2);
  });

  it('refuses an unknown store spec (exit 2), naming the accepted forms', async () => {
    const [run, list] = await Promise.all([
      runKit(['run', machine, '--model', 'openai:gpt-4o-mini', '--store', 'redis://127.0.0.1:6379'], { env: { OPENAI_API_KEY: 'test-key-0000' } }),
      runKit(['conversations', 'list', '--store', 'kit.db']),
    ]);
    for (const result of [run, list]) {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stdout).toBe('');
    }
    expect(run.stderr).toBe('kit: unknown store spec "redis://127.0.0.1:6379": use `sqlite:<path>`, `memory`, or a `postgres://` / `postgresql://` URL\n');
    expect(list.stderr).toBe('kit: unknown store spec "kit.db": use `sqlite:<path>`, `memory`, or a `postgres://` / `postgresql://` URL\n');
  });

  it('refuses to run without a model (exit 2), naming --model and the variables', async () => {
    const [none, noKey, badName] = await Promise.all([
      runKit(['run', machine, '--store', 'memory']),
      runKit(['run', machine, '--store', 'memory', '--model', 'openai:gpt-4o-mini']),
      runKit(['run', machine, '--store', 'memory', '--model', 'gpt-4o-mini']),
    ]);
    expect(none.code, none.stderr).toBe(2);
    expect(none.stderr).toBe(
      'kit: no model configured: pass --model <provider>:<model> (e.g. --model openai:gpt-4o-mini) or set one of KIT_MODEL, OPENAI_API_KEY, ANTHROPIC_API_KEY, OLLAMA_HOST, HF_TOKEN\n',
    );
    expect(noKey.code, noKey.stderr).toBe(2);
    expect(noKey.stderr).toMatch(/^kit: cannot use openai:gpt-4o-mini: .*OPENAI_API_KEY/);
    expect(badName.code, badName.stderr).toBe(2);
    expect(badName.stderr).toMatch(/^kit: "gpt-4o-mini" is not a model string: write "<provider>:<model>"/);
  });

  it('reports a provider failure by message only (exit 3), the key never printed', async () => {
    const key = 'test-key-that-must-not-leak-42';
    const server = await FakeOpenAIServer.start(() => ({ status: 401, message: `Incorrect API key provided: ${key}.` }));
    try {
      const [plain, debug] = await Promise.all([
        runKit(['run', machine, '--store', 'memory', '--model', 'openai:gpt-4o-mini'], { env: { OPENAI_API_KEY: key, OPENAI_BASE_URL: server.baseUrl } }),
        runKit(['run', machine, '--store', 'memory', '--model', 'openai:gpt-4o-mini'], { env: { OPENAI_API_KEY: key, OPENAI_BASE_URL: server.baseUrl, KIT_DEBUG: '1' } }),
      ]);
      expect(plain.code, plain.stderr).toBe(3);
      expect(stderrWithoutProgress(plain.stderr)).toMatch(/^kit: the model call failed: .*Incorrect API key provided: \[REDACTED\]\.\n$/);
      expect(debug.code, debug.stderr).toBe(3);
      expect(debug.stderr).toMatch(/\n {4}at /);
      for (const result of [plain, debug]) expect(result.stdout + result.stderr).not.toContain(key);
    } finally {
      await server.close();
    }
  });
});
