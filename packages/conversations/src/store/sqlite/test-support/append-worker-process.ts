import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** What sqlite-append-worker.mjs is told to do; see that file. */
export type AppendWorkerConfig =
  | { mode: 'loop'; path: string; conversationId: string }
  | { mode: 'race'; path: string; conversationId: string; name: string };

/**
 * One running sqlite-append-worker.mjs: a real `node` process with its own SQLite connection.
 * Collects its stdout as lines; `nextLine` waits for the next one.
 */
export class AppendWorkerProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #stderr = '';
  #partial = '';
  #read = 0;
  #waiting: (() => void) | undefined;

  constructor(bundleUrl: string, config: AppendWorkerConfig) {
    this.#child = spawn(process.execPath, [join(here, 'sqlite-append-worker.mjs'), bundleUrl, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (this.#partial + chunk).split('\n');
      this.#partial = parts.pop() ?? '';
      this.lines.push(...parts);
      this.#wake();
    });
    this.#child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.#stderr += chunk));
    // A worker that died early closes its stdin; its exit reports why.
    this.#child.stdin.on('error', () => undefined);
    this.exited = once(this.#child, 'close').then(([code, signal]) => {
      this.#wake();
      return { code: code as number | null, signal: signal as NodeJS.Signals | null };
    });
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** The next line not yet returned; fails if the process ends first. */
  async nextLine(): Promise<string> {
    for (;;) {
      const line = this.lines[this.#read];
      if (line !== undefined) {
        this.#read++;
        return line;
      }
      if (this.#child.exitCode !== null || this.#child.signalCode !== null) {
        throw new Error(`worker ${this.#child.pid} ended (${this.#child.exitCode ?? this.#child.signalCode}) without a line: ${this.#stderr}`);
      }
      await new Promise<void>((resolve) => (this.#waiting = resolve));
    }
  }

  send(line: string): void {
    this.#child.stdin.write(`${line}\n`);
  }

  endInput(): void {
    this.#child.stdin.end();
  }

  /** SIGKILL: no cleanup, no flush, no exit handlers. Resolves once the process is gone. */
  async kill(): Promise<void> {
    this.#child.kill('SIGKILL');
    await this.exited;
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.();
  }
}
