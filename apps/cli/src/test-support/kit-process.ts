import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built binary the tests run, as a user would (`node apps/cli/dist/main.js`). */
export const KIT_BIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/**
 * An environment with nothing of the test runner's: no provider keys, no KIT_* settings, no
 * colors forced; just what Node needs, plus `env`.
 */
export function cleanEnv(env: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SystemRoot']) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  return { ...base, ...env };
}

function requireBuild(): void {
  if (!existsSync(KIT_BIN)) throw new Error(`${KIT_BIN} does not exist: build first (npx nx run @kit/cli:build); the test target depends on build`);
}

/** What a finished run printed and how it ended. */
export interface KitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface KitRunOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Written to stdin, which is then closed. */
  stdin?: string;
}

/** Runs `kit args…` to the end. */
export async function runKit(args: readonly string[], options: KitRunOptions = {}): Promise<KitResult> {
  const kit = startKit(args, options);
  if (options.stdin !== undefined) kit.child.stdin.write(options.stdin);
  kit.child.stdin.end();
  return kit.exited;
}

/** A running `kit` to talk to: write lines, wait for output, send signals. */
export interface KitSession {
  child: ChildProcessWithoutNullStreams;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves when the whole stdout (so far) matches. */
  waitForStdout(pattern: RegExp | string): Promise<string>;
  waitForStderr(pattern: RegExp | string): Promise<string>;
  writeLine(line: string): void;
  exited: Promise<KitResult>;
}

/** Starts `kit args…` with piped stdio. */
export function startKit(args: readonly string[], options: KitRunOptions = {}): KitSession {
  requireBuild();
  const child = spawn(process.execPath, [KIT_BIN, ...args], { cwd: options.cwd, env: cleanEnv(options.env), stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ stream: 'stdout' | 'stderr'; test: (text: string) => boolean; resolve: (text: string) => void }> = [];
  const check = (): void => {
    for (const waiter of [...waiters]) {
      const text = waiter.stream === 'stdout' ? stdout : stderr;
      if (waiter.test(text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(text);
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    check();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    check();
  });
  const exited = new Promise<KitResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  const waitFor = (stream: 'stdout' | 'stderr', pattern: RegExp | string): Promise<string> =>
    new Promise((resolve, reject) => {
      const test = (text: string): boolean => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));
      waiters.push({ stream, test, resolve });
      check();
      // A child that ends first would leave the waiter hanging until the test times out: say why.
      void exited.then((result) => {
        const text = stream === 'stdout' ? result.stdout : result.stderr;
        if (!test(text)) reject(new Error(`kit exited (code ${result.code}) before its ${stream} matched ${String(pattern)}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`));
      });
    });
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    waitForStdout: (pattern) => waitFor('stdout', pattern),
    waitForStderr: (pattern) => waitFor('stderr', pattern),
    writeLine: (line) => void child.stdin.write(`${line}\n`),
    exited,
  };
}

/** The stderr lines that are not progress (`kit: opening …` lines end with `…`). */
export function stderrWithoutProgress(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !(line.startsWith('kit: ') && line.endsWith('…')))
    .join('\n');
}
