import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** How a worker process ended. */
export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A `node` child process for crash and concurrency tests: collects complete stdout lines (a line
 * cut off by a kill is not one), waits for a line, sends input, and kills.
 */
export class WorkerProcess {
  readonly lines: string[] = [];
  stderr = '';
  readonly exited: Promise<WorkerExit>;
  readonly #child: ChildProcessWithoutNullStreams;
  #partial = '';
  #waiters: (() => void)[] = [];

  private constructor(file: string, args: readonly string[]) {
    this.#child = spawn(process.execPath, [file, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stdout.setEncoding('utf8');
    this.#child.stdout.on('data', (chunk: string) => {
      const parts = (this.#partial + chunk).split('\n');
      this.#partial = parts.pop()!;
      this.lines.push(...parts);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.#child.stderr.setEncoding('utf8');
    this.#child.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => {
      // 'close' comes after the streams are drained, so `lines` is complete by then.
      this.#child.on('close', (code, signal) => {
        for (const wake of this.#waiters.splice(0)) wake();
        resolve({ code, signal });
      });
    });
  }

  static start(file: string, args: readonly string[]): WorkerProcess {
    return new WorkerProcess(file, args);
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Resolves with the first line (already seen or yet to come) that matches; rejects on exit or timeout. */
  async waitForLine(matches: (line: string) => boolean, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(matches);
      if (found !== undefined) return found;
      if (this.#child.exitCode !== null || this.#child.signalCode !== null) throw new Error(`worker exited without the expected line; stderr: ${this.stderr}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no expected line from the worker within ${timeoutMs} ms; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  send(text: string): void {
    this.#child.stdin.write(text);
  }

  kill(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }
}
