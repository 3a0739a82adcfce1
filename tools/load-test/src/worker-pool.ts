import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CoordinatorMessage, TurnReply, TurnTimings, WorkerConfig, WorkerError, WorkerMessage } from './worker-protocol.js';

/** A worker's answer to one request. */
export type WorkerResult = { ok: true; reply: TurnReply; timings: TurnTimings } | { ok: false; error: WorkerError; timings: TurnTimings | undefined };

type Request = Extract<CoordinatorMessage, { type: 'start' | 'turn' }>;
type RequestBody = Request extends infer R ? (R extends Request ? Omit<R, 'requestId'> : never) : never;

interface Pending {
  resolve(result: WorkerResult): void;
  slot: number;
  /** The process the request went to. */
  entry: Slot;
}

interface Slot {
  process: ChildProcess;
  generation: number;
  /** Resolves when the current process is connected and ready. */
  ready: Promise<void>;
  /** Set by `kill`: the exit that follows is expected. */
  killed: boolean;
}

/**
 * The built worker script: beside this file when running from `dist/`, or in `dist/` when this
 * file runs from `src/` (under vitest, which runs TypeScript sources).
 */
export function workerScriptPath(): string {
  const here = fileURLToPath(import.meta.url);
  const path = here.endsWith('.ts') ? fileURLToPath(new URL('../dist/worker.js', import.meta.url)) : fileURLToPath(new URL('./worker.js', import.meta.url));
  if (!existsSync(path)) throw new Error(`the worker script ${path} is missing: build first (npx nx run @kit/load-test:build)`);
  return path;
}

/**
 * The coordinator's side of the worker processes: starts them (all at once, so that they race to
 * create the run's schema), sends requests to a slot and matches the answers, and survives a
 * worker's death: its in-flight requests fail as retryable (`worker-died`), and a replacement
 * process takes the slot.
 */
export class WorkerPool {
  readonly #slots: Slot[] = [];
  readonly #pending = new Map<number, Pending>();
  readonly #configFor: (slot: number, generation: number) => WorkerConfig;
  readonly #script: string;
  #nextRequestId = 1;
  #stopping = false;
  /** Deaths nobody asked for (not `kill`, not `stop`): a crash, which fails the run. */
  readonly unexpectedExits: string[] = [];

  private constructor(configFor: (slot: number, generation: number) => WorkerConfig, script: string) {
    this.#configFor = configFor;
    this.#script = script;
  }

  /** Starts `size` workers at the same moment and waits until every one is connected. */
  static async start(size: number, configFor: (slot: number, generation: number) => WorkerConfig, script = workerScriptPath()): Promise<WorkerPool> {
    const pool = new WorkerPool(configFor, script);
    for (let slot = 0; slot < size; slot++) pool.#slots.push(pool.#spawn(slot, 0));
    try {
      await Promise.all(pool.#slots.map((s) => s.ready));
    } catch (error) {
      await pool.stop();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.#slots.length;
  }

  /** Requests waiting for an answer from the slot's current process. */
  inFlight(slot: number): number {
    let count = 0;
    for (const pending of this.#pending.values()) if (pending.slot === slot) count++;
    return count;
  }

  /** Sends a request to the slot's worker (waiting for a replacement if it is being replaced). */
  async request(slot: number, body: RequestBody): Promise<WorkerResult> {
    let current = this.#slots[slot];
    if (current === undefined) throw new RangeError(`no worker slot ${slot}`);
    await current.ready;
    // The process may have been replaced while we waited: wait for the newest one.
    while (this.#slots[slot] !== current) {
      current = this.#slots[slot]!;
      await current.ready;
    }
    const target = current;
    const requestId = this.#nextRequestId++;
    return new Promise<WorkerResult>((resolve) => {
      this.#pending.set(requestId, { resolve, slot, entry: target });
      const sent = target.process.connected && target.process.send({ ...body, requestId } as CoordinatorMessage, (error) => {
        if (error !== null && this.#pending.delete(requestId)) resolve(diedResult(slot, error.message));
      });
      if (!sent && this.#pending.delete(requestId)) resolve(diedResult(slot, 'the worker is not connected'));
    });
  }

  /**
   * Kills the slot's process with SIGKILL (no cleanup of any kind, as a crashed machine) and
   * starts a replacement; resolves when the replacement is ready.
   */
  async kill(slot: number): Promise<void> {
    const target = this.#slots[slot]!;
    target.killed = true;
    target.process.kill('SIGKILL');
    await new Promise<void>((resolve) => (target.process.exitCode !== null || target.process.signalCode !== null ? resolve() : target.process.once('exit', () => resolve())));
    await this.#slots[slot]!.ready;
  }

  /** Asks every worker to close its connections and exit; waits for them. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await Promise.all(
      this.#slots.map(
        (slot) =>
          new Promise<void>((resolve) => {
            const child = slot.process;
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            if (child.connected) child.send({ type: 'stop' } satisfies CoordinatorMessage, () => undefined);
            else child.kill('SIGKILL');
          }),
      ),
    );
  }

  #spawn(slot: number, generation: number): Slot {
    // No inherited execArgv: under vitest it carries the `@kit/source` condition, which would
    // point the worker's imports at TypeScript sources that plain Node cannot run.
    const child = fork(this.#script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    // A send to a process that just died fails through the send callback; the exit handler reports it.
    child.on('error', () => undefined);
    let markReady: () => void = () => undefined;
    let markFailed: (error: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    // A failed start is reported to whoever awaits `ready`; never an unhandled rejection.
    ready.catch(() => undefined);
    const entry: Slot = { process: child, generation, ready, killed: false };
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') markReady();
      else if (message.type === 'init-failed') markFailed(new Error(`worker ${slot} could not connect: ${message.error.message}`));
      else if (message.type === 'done') {
        const pending = this.#pending.get(message.requestId);
        if (pending === undefined) return;
        this.#pending.delete(message.requestId);
        pending.resolve(message.ok ? { ok: true, reply: message.reply, timings: message.timings } : { ok: false, error: message.error, timings: message.timings });
      }
    });
    child.on('exit', (code, signal) => {
      markFailed(new Error(`worker ${slot} exited before it was ready (code ${code}, signal ${signal})`));
      for (const [id, pending] of this.#pending) {
        if (pending.entry !== entry) continue;
        this.#pending.delete(id);
        pending.resolve(diedResult(slot, `the worker process ended (${signal ?? `code ${code}`})`));
      }
      if (this.#stopping || this.#slots[slot] !== entry) return;
      if (!entry.killed) this.unexpectedExits.push(`worker ${slot} (generation ${generation}) exited: ${signal ?? `code ${code}`}`);
      this.#slots[slot] = this.#spawn(slot, generation + 1);
    });
    child.send({ type: 'init', config: this.#configFor(slot, generation) } satisfies CoordinatorMessage, () => undefined);
    return entry;
  }
}

function diedResult(slot: number, detail: string): WorkerResult {
  return { ok: false, error: { name: 'WorkerDied', message: `worker ${slot}: ${detail}`, code: 'worker-died', retryable: true }, timings: undefined };
}
