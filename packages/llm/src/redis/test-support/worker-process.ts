import { spawn } from 'node:child_process';

/** A worker process started by a multi-process test: its stdout lines as they come, and a way to wait for one. */
export interface WorkerProcess {
  readonly child: ReturnType<typeof spawn> & { stdin: NodeJS.WritableStream };
  /** The first stdout line starting with `prefix`, once printed; rejects if the worker exits without it. */
  line(prefix: string): Promise<string>;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  stderr(): string;
}

/** Runs `node file ...args` with piped stdio. */
export function startWorker(file: string, args: string[]): WorkerProcess {
  const child = spawn(process.execPath, [file, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      for (const wake of waiters.splice(0)) wake();
      resolve(code);
    }),
  );
  async function line(prefix: string): Promise<string> {
    for (;;) {
      const found = lines.find((l) => l.startsWith(prefix));
      if (found !== undefined) return found;
      if (child.exitCode !== null) throw new Error(`worker exited without "${prefix}"; stderr: ${stderr}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }
  return { child, line, exited, stderr: () => stderr };
}
