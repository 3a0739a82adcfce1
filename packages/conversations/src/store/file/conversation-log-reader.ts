import type { FileHandle } from 'node:fs/promises';

/** One complete line and where it ends in the file (just past its `\n`). */
export interface LogLine {
  text: string;
  start: number;
  end: number;
}

export interface LogRead {
  lines: LogLine[];
  /** The offset just past the last `\n` read: where the next record belongs. */
  completeEnd: number;
  /** Bytes after `completeEnd` up to the end read: a write in progress, or one torn by a crash. */
  tailBytes: number;
  /** Up to the last `TAIL_MARK_BYTES` bytes before `completeEnd`, to recognize the file later. */
  tailMark: Buffer;
}

/** How many bytes before a known offset identify the file's content there (see `FileConversationStore`). */
export const TAIL_MARK_BYTES = 64;

const CHUNK_BYTES = 1 << 20;

/** The last `TAIL_MARK_BYTES` of `previous` followed by `appended`. */
export function nextTailMark(previous: Buffer, appended: Buffer): Buffer {
  if (appended.length >= TAIL_MARK_BYTES) return Buffer.from(appended.subarray(appended.length - TAIL_MARK_BYTES));
  return Buffer.from(Buffer.concat([previous, appended]).subarray(-TAIL_MARK_BYTES));
}

/**
 * Reads `[from, to)` and splits it into complete lines. Splitting at byte 0x0A is safe: JSON
 * escapes newlines inside strings, and no multi-byte UTF-8 sequence contains 0x0A.
 */
export async function readLogLines(handle: FileHandle, from: number, to: number, previousMark: Buffer = Buffer.alloc(0)): Promise<LogRead> {
  const lines: LogLine[] = [];
  let pending: Buffer[] = [];
  let pendingStart = from;
  let position = from;
  let mark = previousMark;
  const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(1, to - from)));
  while (position < to) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, to - position), position);
    if (bytesRead === 0) break;
    const chunk = buffer.subarray(0, bytesRead);
    let lineStart = 0;
    for (let newline = chunk.indexOf(0x0a); newline >= 0; newline = chunk.indexOf(0x0a, lineStart)) {
      const piece = chunk.subarray(lineStart, newline + 1);
      const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      lines.push({ text: bytes.toString('utf8', 0, bytes.length - 1), start: pendingStart, end: position + newline + 1 });
      mark = nextTailMark(mark, bytes);
      lineStart = newline + 1;
      pendingStart = position + lineStart;
    }
    // Copy: the read buffer is reused for the next chunk.
    if (lineStart < chunk.length) pending.push(Buffer.from(chunk.subarray(lineStart)));
    position += bytesRead;
  }
  return { lines, completeEnd: pendingStart, tailBytes: position - pendingStart, tailMark: mark };
}
