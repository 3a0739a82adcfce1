import { spawn } from 'node:child_process';

/** What a finished command printed, and how it ended. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  /** The exit code; null when a signal ended it. */
  code: number | null;
}

/** A command that exited non-zero (or was killed), with the end of what it printed. */
export class CommandFailedError extends Error {
  readonly result: CommandResult;

  constructor(description: string, result: CommandResult) {
    const tail = (text: string) => text.split('\n').slice(-40).join('\n');
    super(`${description} exited with ${result.code ?? 'a signal'}\n--- stdout (end) ---\n${tail(result.stdout)}\n--- stderr (end) ---\n${tail(result.stderr)}`);
    this.name = 'CommandFailedError';
    this.result = result;
  }
}

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  cwd: string;
  /** Added to (or, with `undefined`, removed from) the environment the command inherits. */
  env?: Record<string, string | undefined>;
  /** Killed after this long; default 10 minutes. */
  timeoutMs?: number;
  /** Resolve with the result instead of throwing when the command exits non-zero. */
  allowFailure?: boolean;
}

/**
 * The environment for a command run outside the workspace. `npm test` runs vitest through npm,
 * which exports the workspace's own npm settings (`npm_config_workspace`, `npm_package_*`, the
 * local prefix); an `npm install` in a temporary project must not inherit them.
 */
function childEnvironment(extra: RunCommandOptions['env']): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    if (lower.startsWith('npm_package_') || lower.startsWith('npm_lifecycle_') || lower === 'init_cwd') continue;
    if (lower.startsWith('npm_config_workspace') || lower === 'npm_config_local_prefix' || lower === 'npm_config_prefix') continue;
    env[key] = value;
  }
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Runs `command args` (no shell) and collects its output. */
export function runCommand(command: string, args: readonly string[], options: RunCommandOptions): Promise<CommandResult> {
  const description = `${command} ${args.join(' ')} (in ${options.cwd})`;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: childEnvironment(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${description} could not start: ${error.message}`, { cause: error }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const result = { stdout, stderr, code };
      if (code === 0 || options.allowFailure) resolvePromise(result);
      else reject(new CommandFailedError(description, result));
    });
  });
}
