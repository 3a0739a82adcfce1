import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireFileLock } from './conversation-file-lock.js';
import { ConversationLockTimeoutError } from './conversation-lock-timeout-error.js';

describe('acquireFileLock', () => {
  let directory: string;
  let lockPath: string;
  const options = { timeoutMs: 5_000, staleMs: 60_000, conversationId: 'c' };

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'kit-lock-'));
    lockPath = join(directory, 'c.lock');
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('lets one holder in at a time, and leaves no file behind', async () => {
    let inside = 0;
    let most = 0;
    let entries = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 5; i++) {
          const release = await acquireFileLock(lockPath, options);
          inside++;
          entries++;
          most = Math.max(most, inside);
          await sleep(1);
          inside--;
          await release();
        }
      }),
    );
    expect(entries).toBe(40);
    expect(most).toBe(1);
    expect(await readdir(directory)).toEqual([]);
  });

  it('writes its owner into the lock, and releases only its own lock', async () => {
    const release = await acquireFileLock(lockPath, options);
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    // Someone broke our lock as stale and took it: releasing must not remove theirs.
    await writeFile(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), token: 'theirs' }));
    await release();
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ token: 'theirs' });
  });

  it('breaks a lock whose process is gone', async () => {
    await writeFile(lockPath, JSON.stringify({ pid: 4_194_305, host: hostname(), token: 'dead' }));
    const release = await acquireFileLock(lockPath, { ...options, timeoutMs: 100 });
    await release();
    expect(await readdir(directory)).toEqual([]);
  });

  it('waits for a live holder and times out with a typed error', async () => {
    const release = await acquireFileLock(lockPath, options);
    const started = Date.now();
    const error = await acquireFileLock(lockPath, { ...options, timeoutMs: 80 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConversationLockTimeoutError);
    expect((error as ConversationLockTimeoutError).timeoutMs).toBe(80);
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    setTimeout(() => void release(), 30);
    const second = await acquireFileLock(lockPath, options);
    await second();
  });

  it('trusts only age for a lock it cannot read or one from another host', async () => {
    for (const content of ['garbage', JSON.stringify({ pid: 4_194_305, host: 'another-host', token: 't' })]) {
      await writeFile(lockPath, content);
      await expect(acquireFileLock(lockPath, { ...options, timeoutMs: 50 })).rejects.toBeInstanceOf(ConversationLockTimeoutError);
      const old = new Date(Date.now() - 120_000);
      await utimes(lockPath, old, old);
      const release = await acquireFileLock(lockPath, { ...options, timeoutMs: 50 });
      await release();
    }
  });
});
