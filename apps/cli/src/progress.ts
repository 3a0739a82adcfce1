import type { CliIo } from './cli-io.js';

/**
 * Shows that long work is under way, on stderr: an `ora` spinner on a terminal, one plain line
 * per step otherwise (no escape codes in logs or pipes). Stdout stays for results.
 */
export interface Progress {
  /** Shows `text` until `stop` (a spinner), or prints it once (plain). */
  start(text: string): void;
  /** Removes the spinner; nothing to do in plain mode. Safe to call when nothing runs. */
  stop(): void;
  /** Runs `work` with `text` shown, stopping however it ends. */
  during<T>(text: string, work: () => Promise<T>): Promise<T>;
}

/** Plain lines (`kit: text…`), for pipes, logs and `--json`. */
export class PlainProgress implements Progress {
  readonly #write: (line: string) => void;

  constructor(write: (line: string) => void) {
    this.#write = write;
  }

  start(text: string): void {
    this.#write(`kit: ${text}…`);
  }

  stop(): void {}

  async during<T>(text: string, work: () => Promise<T>): Promise<T> {
    this.start(text);
    return work();
  }
}

interface Spinner {
  start(text?: string): unknown;
  stop(): unknown;
  isSpinning: boolean;
}

/** An `ora` spinner on a terminal's stderr. */
class SpinnerProgress implements Progress {
  readonly #spinner: Spinner;

  constructor(spinner: Spinner) {
    this.#spinner = spinner;
  }

  start(text: string): void {
    this.#spinner.start(text);
  }

  stop(): void {
    if (this.#spinner.isSpinning) this.#spinner.stop();
  }

  async during<T>(text: string, work: () => Promise<T>): Promise<T> {
    this.start(text);
    try {
      return await work();
    } finally {
      this.stop();
    }
  }
}

/**
 * The progress display for this process: a spinner when stderr is a terminal and the output is
 * not `--json`, plain lines otherwise. `ora` is loaded only when a spinner is used.
 */
export async function createProgress(io: CliIo, options: { json?: boolean | undefined } = {}): Promise<Progress> {
  const write = (line: string): void => void io.stderr.write(`${line}\n`);
  // A terminal that does not know its width (a bare pty) would make the spinner's line
  // arithmetic divide by zero: plain lines there too.
  const width = io.stderr.columns ?? 0;
  if (io.stderr.isTTY !== true || options.json === true || io.env['TERM'] === 'dumb' || width <= 0) return new PlainProgress(write);
  const { default: ora } = await import('ora');
  // discardStdin off: `kit run` reads the terminal with readline while the spinner turns.
  const spinner = ora({ stream: io.stderr as NodeJS.WritableStream, discardStdin: false, color: 'cyan' });
  return new SpinnerProgress(spinner);
}
