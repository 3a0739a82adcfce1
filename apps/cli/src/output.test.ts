import { describe, expect, it } from 'vitest';
import type { CliIo, OutputStream } from './cli-io.js';
import { Output } from './output.js';
import { createProgress } from './progress.js';

function stream(isTTY: boolean): OutputStream & { text: string } {
  return {
    text: '',
    isTTY,
    write(chunk: string, callback?: (error?: Error | null) => void) {
      this.text += chunk;
      callback?.();
      return true;
    },
  };
}

function io(tty: boolean, env: Record<string, string> = {}): CliIo & { stdout: ReturnType<typeof stream>; stderr: ReturnType<typeof stream> } {
  return { stdin: process.stdin, stdout: stream(tty), stderr: stream(tty), env };
}

describe('Output', () => {
  it('colors a terminal, unless NO_COLOR is set or TERM is dumb', () => {
    expect(new Output(io(true)).colors.red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(new Output(io(true, { NO_COLOR: '1' })).colors.red('x')).toBe('x');
    expect(new Output(io(true, { TERM: 'dumb' })).colors.red('x')).toBe('x');
    expect(new Output(io(false)).colors.red('x')).toBe('x');
    // NO_COLOR set but empty does not count (no-color.org).
    expect(new Output(io(true, { NO_COLOR: '' })).colors.red('x')).toBe('\u001b[31mx\u001b[39m');
  });

  it('neutralises control characters in data shown on a terminal only', () => {
    expect(new Output(io(true)).shown('a\u001b[2Jb\n')).toBe('a\uFFFD[2Jb\n');
    expect(new Output(io(false)).shown('a\u001b[2Jb\n')).toBe('a\u001b[2Jb\n');
  });

  it('writes errors as `kit: message` with detail lines, and JSON alone on stdout', () => {
    const streams = io(false);
    const output = new Output(streams);
    output.error('bad thing', ['states.a: unknown target']);
    output.json({ ok: true });
    expect(streams.stderr.text).toBe('kit: bad thing\n  states.a: unknown target\n');
    expect(streams.stdout.text).toBe('{\n  "ok": true\n}\n');
  });
});

describe('progress', () => {
  it('prints plain lines, no escape codes, when stderr is not a terminal, with --json, or on a terminal of unknown width', async () => {
    const sized = io(true);
    sized.stderr.columns = 80;
    for (const [streams, json] of [[io(false), false], [sized, true], [io(true), false]] as const) {
      const progress = await createProgress(streams, { json });
      expect(await progress.during('opening sqlite:x.db', async () => 7)).toBe(7);
      progress.stop();
      expect(streams.stderr.text).toBe('kit: opening sqlite:x.db…\n');
    }
  });

  it('spins on a terminal and leaves nothing behind when stopped', async () => {
    const streams = io(true);
    // What ora asks of a terminal stream.
    Object.assign(streams.stderr, { columns: 80, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    const progress = await createProgress(streams);
    await progress.during('working', async () => undefined);
    expect(streams.stderr.text).toContain('working');
    expect(streams.stdout.text).toBe('');
  });
});
