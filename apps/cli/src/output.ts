import picocolors from 'picocolors';
import { colorsEnabled, type CliIo } from './cli-io.js';
import { terminalSafe } from './terminal-text.js';

/** picocolors' formatters, on or off. */
export type Colors = ReturnType<typeof picocolors.createColors>;

/**
 * Where a command writes: results to stdout (as text, or as JSON alone with `--json`), notes,
 * warnings and errors to stderr. Each stream gets colors only when it is a terminal and
 * `NO_COLOR` is not set.
 */
export class Output {
  readonly io: CliIo;
  /** Colors for stdout. */
  readonly colors: Colors;
  /** Colors for stderr. */
  readonly errorColors: Colors;

  constructor(io: CliIo) {
    this.io = io;
    this.colors = picocolors.createColors(colorsEnabled(io.stdout, io.env));
    this.errorColors = picocolors.createColors(colorsEnabled(io.stderr, io.env));
  }

  /**
   * Data (stored messages, rendered prompts, model replies) as stdout shows it: on a terminal,
   * control characters are neutralised so the text cannot drive the terminal; a pipe gets it as is.
   */
  shown(text: string): string {
    return this.io.stdout.isTTY === true ? terminalSafe(text) : text;
  }

  /** Writes text to stdout as it is (streamed replies). */
  write(text: string): void {
    this.io.stdout.write(text);
  }

  /** Writes one line to stdout. */
  line(text = ''): void {
    this.io.stdout.write(`${text}\n`);
  }

  /** Writes `value` as JSON, the only thing a `--json` command prints on stdout. */
  json(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A note for the person at the terminal, on stderr. */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  /** `kit: warning: …` on stderr. */
  warn(text: string): void {
    this.io.stderr.write(`${this.errorColors.yellow(`kit: warning: ${text}`)}\n`);
  }

  /** `kit: …` on stderr, with detail lines under it. */
  error(message: string, details: readonly string[] = []): void {
    const c = this.errorColors;
    this.io.stderr.write(`${c.red(`kit: ${message}`)}\n${details.map((d) => `  ${d}\n`).join('')}`);
  }

  /** Resolves when both streams have taken everything written so far (before `process.exit`). */
  flush(): Promise<void> {
    const drained = (stream: CliIo['stdout']): Promise<void> => new Promise((resolve) => stream.write('', () => resolve()));
    return Promise.all([drained(this.io.stdout), drained(this.io.stderr)]).then(() => undefined);
  }
}
