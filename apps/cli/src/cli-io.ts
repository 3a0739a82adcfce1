/** A stream `kit` writes to: a terminal when `isTTY` is true. */
export interface OutputStream {
  write(chunk: string, callback?: (error?: Error | null) => void): boolean;
  isTTY?: boolean | undefined;
  /** A terminal's width; 0 or absent when it is unknown. */
  columns?: number | undefined;
}

/** The process's streams and environment, passed to commands so that tests and main share the code. */
export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean | undefined };
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
}

/** The real process. */
export function processIo(): CliIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** Whether a stream is a terminal that should get colors: a TTY, `NO_COLOR` unset or empty, `TERM` not `dumb`. */
export function colorsEnabled(stream: OutputStream, env: CliIo['env']): boolean {
  if (stream.isTTY !== true) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return env['TERM'] !== 'dumb';
}
