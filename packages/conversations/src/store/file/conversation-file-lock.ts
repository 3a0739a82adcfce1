import { link, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConversationLockTimeoutError } from './conversation-lock-timeout-error.js';

export interface FileLockOptions {
  /** Give up after this long with `ConversationLockTimeoutError`. */
  timeoutMs: number;
  /** A lock older than this is stale even if its process seems alive (the PID may have been reused). */
  staleMs: number;
  conversationId: string;
}

interface LockOwner {
  pid: number;
  host: string;
  token: string;
}

/** The lock that guards breaking a stale lock lives this long at most: breaking takes microseconds. */
const BREAKER_STALE_MS = 2_000;

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
}

async function readOwner(path: string): Promise<{ text: string; owner: LockOwner | undefined; ageMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    let owner: LockOwner | undefined;
    try {
      const parsed = JSON.parse(text) as Partial<LockOwner>;
      if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.token === 'string') owner = parsed as LockOwner;
    } catch {
      owner = undefined;
    }
    return { text, owner, ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Creates `path` holding `text`, atomically: the content is written to a private file first and
 * then hard-linked into place, which fails if `path` exists. So a lock file is never seen empty,
 * even when its writer is killed half-way. Returns false when the lock is taken.
 */
async function createExclusive(path: string, text: string): Promise<boolean> {
  const staging = `${path}.${process.pid}.${crypto.randomUUID()}`;
  await writeFile(staging, text, { flag: 'wx' });
  try {
    await link(staging, path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(staging).catch(() => undefined);
  }
}

function isStale(holder: { owner: LockOwner | undefined; ageMs: number }, staleMs: number): boolean {
  if (holder.ageMs > staleMs) return true;
  // Unreadable content cannot come from createExclusive; only age can clear it.
  if (holder.owner === undefined) return false;
  // A process on another machine (a shared folder) cannot be checked: only age counts.
  if (holder.owner.host !== hostname()) return false;
  return !isAlive(holder.owner.pid);
}

/**
 * Removes a stale lock, under a second lock so that two processes that both saw the same stale
 * lock cannot remove each other's fresh one: whoever holds the breaker re-reads the lock and
 * removes it only if it is still the stale one that was seen.
 */
async function breakStaleLock(path: string, seenText: string): Promise<boolean> {
  const breaker = `${path}.break`;
  const breakerText = JSON.stringify({ pid: process.pid, host: hostname(), token: crypto.randomUUID() });
  if (!(await createExclusive(breaker, breakerText))) {
    const holder = await readOwner(breaker);
    // A breaker left by a process killed mid-break; anyone may clear it after a while.
    if (holder !== undefined && isStale(holder, BREAKER_STALE_MS)) await unlink(breaker).catch(() => undefined);
    return false;
  }
  try {
    const current = await readOwner(path);
    if (current === undefined) return true;
    if (current.text !== seenText) return false;
    await unlink(path).catch(() => undefined);
    return true;
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

/**
 * Takes the lock file at `path` (created exclusively; holds PID, host and a token) and returns a
 * function that releases it. A lock whose process is dead (same host) or that is older than
 * `staleMs` is broken; otherwise waits with backoff up to `timeoutMs`.
 */
export async function acquireFileLock(path: string, options: FileLockOptions): Promise<() => Promise<void>> {
  const text = JSON.stringify({ pid: process.pid, host: hostname(), token: crypto.randomUUID() } satisfies LockOwner);
  const deadline = Date.now() + options.timeoutMs;
  let delayMs = 1;
  for (;;) {
    if (await createExclusive(path, text)) {
      return async () => {
        // Remove only our own lock: if it was broken as stale and retaken, it is someone else's now.
        const current = await readOwner(path);
        if (current?.text === text) await unlink(path).catch(() => undefined);
      };
    }
    const holder = await readOwner(path);
    // Gone already, or stale and now removed: try again at once.
    if (holder === undefined || (isStale(holder, options.staleMs) && (await breakStaleLock(path, holder.text)))) continue;
    if (Date.now() >= deadline) throw new ConversationLockTimeoutError(options.conversationId, options.timeoutMs);
    // Jitter keeps two waiters from polling in step.
    await sleep(delayMs * (0.5 + Math.random()));
    delayMs = Math.min(delayMs * 2, 25);
  }
}
