import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AgentError } from './agent-error.js';
import { parseMemorySnapshot, type MemorySnapshot } from './memory-snapshot.js';

/**
 * Writes memory as JSON to `path` atomically: to a temporary file beside it, flushed to disk,
 * then renamed over `path`, so a crash leaves either the old file or the new one, never half.
 */
export async function writeMemoryFile(path: string, snapshot: MemorySnapshot): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${crypto.randomUUID()}.tmp`);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(`${JSON.stringify(snapshot, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Reads and validates memory written by `writeMemoryFile`. A missing file is an `AgentError` with
 * reason `memory-not-found`; text that is not JSON, or JSON that is not memory, is `memory-corrupt`.
 */
export async function readMemoryFile(path: string): Promise<MemorySnapshot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AgentError('memory-not-found', `No memory file at ${path}`, { cause: error });
    }
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new AgentError('memory-corrupt', `The memory file ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseMemorySnapshot(data, path);
}
