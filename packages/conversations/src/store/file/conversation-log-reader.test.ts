import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextTailMark, readLogLines, TAIL_MARK_BYTES } from './conversation-log-reader.js';

describe('readLogLines', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'kit-log-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  async function read(content: Buffer | string, from = 0) {
    const path = join(directory, 'log.jsonl');
    await writeFile(path, content);
    const handle = await open(path, 'r');
    try {
      const size = (await handle.stat()).size;
      return await readLogLines(handle, from, size);
    } finally {
      await handle.close();
    }
  }

  it('splits complete lines with their byte ranges and reports an incomplete tail', async () => {
    const result = await read('{"a":1}\n{"b":"é"}\n{"c":');
    expect(result.lines).toEqual([
      { text: '{"a":1}', start: 0, end: 8 },
      { text: '{"b":"é"}', start: 8, end: 19 },
    ]);
    expect(result.completeEnd).toBe(19);
    expect(result.tailBytes).toBe(5);
    expect(result.tailMark.toString()).toBe('{"a":1}\n{"b":"é"}\n');
  });

  it('reads from an offset, and handles a file with no newline at all', async () => {
    const result = await read('skip\nkeep\n', 5);
    expect(result.lines).toEqual([{ text: 'keep', start: 5, end: 10 }]);
    const none = await read('no newline yet');
    expect(none).toMatchObject({ lines: [], completeEnd: 0, tailBytes: 14 });
  });

  it('joins lines that span 1 MiB read chunks, multi-byte characters included', async () => {
    const long = `{"t":"${'é'.repeat(700_000)}"}`;
    const content = `${long}\nshort\n${'x'.repeat(1_500_000)}\n`;
    const result = await read(content);
    expect(result.lines.map((line) => line.text.length)).toEqual([long.length, 5, 1_500_000]);
    expect(result.lines[0]!.text).toBe(long);
    expect(result.completeEnd).toBe(Buffer.byteLength(content));
    expect(result.tailMark).toEqual(Buffer.from(`${'x'.repeat(TAIL_MARK_BYTES - 1)}\n`));
  });

  it('keeps the last bytes before the end as the tail mark', () => {
    const mark = nextTailMark(Buffer.from('abc'), Buffer.from('def\n'));
    expect(mark.toString()).toBe('abcdef\n');
    const long = nextTailMark(mark, Buffer.from('z'.repeat(100)));
    expect(long).toEqual(Buffer.from('z'.repeat(TAIL_MARK_BYTES)));
  });
});
