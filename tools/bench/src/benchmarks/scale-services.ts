import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { BenchmarkResult } from '../harness.js';

/** The shared services the scale benchmarks run against: `KIT_PG_URL` and `KIT_REDIS_URL`. */
export interface ScaleServices {
  postgresUrl: string;
  redisUrl: string;
}

/**
 * The services, or why a scale benchmark cannot run (the URLs are never printed: they may hold
 * passwords): unset, or not answering within two seconds.
 */
export async function scaleServices(): Promise<ScaleServices | string> {
  const postgresUrl = process.env['KIT_PG_URL'];
  const redisUrl = process.env['KIT_REDIS_URL'];
  if (postgresUrl === undefined || postgresUrl === '') return 'KIT_PG_URL is not set';
  if (redisUrl === undefined || redisUrl === '') return 'KIT_REDIS_URL is not set';
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    return `PostgreSQL at KIT_PG_URL is unreachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    return `Redis at KIT_REDIS_URL is unreachable (${(error as Error).message})`;
  } finally {
    redis.disconnect();
  }
  return { postgresUrl, redisUrl };
}

/** The row of a benchmark that could not run: printed as SKIP (not a pass), its note saying loudly why. */
export function skippedRow(name: string, unit: string, budget: string, reason: string): BenchmarkResult {
  return { name, value: 0, unit, baseline: 0, ratio: 0, budget, pass: false, skipped: true, note: `SKIPPED: ${reason} (CI sets both KIT_PG_URL and KIT_REDIS_URL)` };
}

/** A name no other run uses: schemas and Redis key prefixes. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Deletes the Redis keys that start with `prefix`. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * A benchmark's child process (a built `scale-*-worker.js` beside this file): told its work as a
 * JSON argument, it prints `ready` once connected, starts when it reads a line on stdin, and
 * prints one line of JSON with its results before it exits.
 */
export class ScaleChild<Result> {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: string[] = [];
  readonly #closed: Promise<void>;
  #stderr = '';

  constructor(script: string, config: unknown) {
    const path = fileURLToPath(new URL(script, import.meta.url));
    this.#child = spawn(process.execPath, [path, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let partial = '';
    this.#child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      this.#lines.push(...parts.filter((line) => line !== ''));
    });
    this.#child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.#stderr += chunk));
    this.#child.stdin.on('error', () => undefined);
    this.#closed = once(this.#child, 'close').then(() => undefined);
  }

  /** Resolves when the child printed `ready`; rejects if it ended first. */
  async ready(): Promise<void> {
    while (!this.#lines.includes('ready')) {
      if (this.#child.exitCode !== null) throw new Error(`a benchmark child exited before it was ready: ${this.#stderr.trim().slice(0, 500)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  go(): void {
    this.#child.stdin.end('go\n');
  }

  /** The child's results, once it has exited. */
  async result(): Promise<Result> {
    await this.#closed;
    const last = this.#lines.at(-1);
    if (last === undefined || last === 'ready') throw new Error(`a benchmark child printed no result: ${this.#stderr.trim().slice(0, 500)}`);
    return JSON.parse(last) as Result;
  }

  kill(): void {
    if (this.#child.exitCode === null) this.#child.kill('SIGKILL');
  }
}

/** Waits for the first line on stdin: the parent's signal to start. */
export async function waitForGo(): Promise<void> {
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) if (String(chunk).includes('\n')) break;
}
