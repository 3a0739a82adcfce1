import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Why a throwaway cluster could not be set up. */
export class ThrowawayPostgresError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ThrowawayPostgresError';
  }
}

/**
 * The folder of `initdb` and `pg_ctl`: `KIT_PG_BIN` if set, else the newest
 * `/usr/lib/postgresql/<version>/bin` that has them (Debian's layout).
 */
export function findPostgresBin(): string {
  const fromEnvironment = process.env['KIT_PG_BIN'];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions[0] === undefined) throw new ThrowawayPostgresError(`no initdb found under ${root}: install PostgreSQL's server binaries or set KIT_PG_BIN`);
  return join(root, versions[0], 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * A PostgreSQL cluster of its own in a temporary folder, on a free port on 127.0.0.1, for tests
 * that stop or restart the database: the machine's shared server is never touched. `initdb`
 * refuses to run as root, so as root the cluster is owned and run by the `postgres` user.
 * Durability is off (`fsync=off`): the cluster is thrown away, and a restart is a clean shutdown.
 */
export class ThrowawayPostgres {
  readonly url: string;
  readonly port: number;
  readonly #folder: string;
  readonly #bin: string;
  readonly #asPostgres: boolean;

  private constructor(folder: string, port: number, bin: string, asPostgres: boolean) {
    this.#folder = folder;
    this.port = port;
    this.#bin = bin;
    this.#asPostgres = asPostgres;
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  }

  /** Creates the cluster (about a second) and starts it. */
  static async start(): Promise<ThrowawayPostgres> {
    const bin = findPostgresBin();
    const asPostgres = userInfo().uid === 0;
    const folder = mkdtempSync(join(tmpdir(), 'kit-throwaway-pg-'));
    const cluster = new ThrowawayPostgres(folder, await freePort(), bin, asPostgres);
    try {
      if (asPostgres) {
        const { stdout } = await run('id', ['-u', 'postgres']);
        const { stdout: gid } = await run('id', ['-g', 'postgres']);
        chownSync(folder, Number(stdout.trim()), Number(gid.trim()));
      }
      await cluster.#tool('initdb', ['-D', cluster.#data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
      await cluster.#pgCtl(['start']);
      return cluster;
    } catch (error) {
      await cluster.stop().catch(() => undefined);
      throw error instanceof ThrowawayPostgresError ? error : new ThrowawayPostgresError(`could not start a throwaway PostgreSQL cluster: ${(error as Error).message}`, { cause: error });
    }
  }

  get #data(): string {
    return join(this.#folder, 'data');
  }

  /**
   * Restarts the server: a fast shutdown (open transactions are rolled back, every connection is
   * closed), then a start; resolves when it accepts connections again.
   */
  async restart(): Promise<void> {
    await this.#pgCtl(['restart', '-m', 'fast']);
  }

  /** Stops the server at once and deletes the cluster. */
  async stop(): Promise<void> {
    try {
      if (existsSync(join(this.#data, 'postmaster.pid'))) await this.#pgCtl(['stop', '-m', 'immediate']);
    } finally {
      rmSync(this.#folder, { recursive: true, force: true });
    }
  }

  /**
   * Stops the server and deletes the cluster synchronously: for a signal handler, when the
   * process is about to exit and cannot wait for promises.
   */
  stopNow(): void {
    try {
      const path = join(this.#bin, 'pg_ctl');
      const args = ['-D', this.#data, 'stop', '-m', 'immediate'];
      if (this.#asPostgres) execFileSync('runuser', ['-u', 'postgres', '--', path, ...args], { cwd: this.#folder, stdio: 'ignore' });
      else execFileSync(path, args, { cwd: this.#folder, stdio: 'ignore' });
    } catch {
      // Already stopped, or never started: the folder goes either way.
    } finally {
      rmSync(this.#folder, { recursive: true, force: true });
    }
  }

  async #pgCtl(args: string[]): Promise<void> {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.#folder} -c fsync=off -c full_page_writes=off -c max_connections=200`;
    await this.#tool('pg_ctl', ['-D', this.#data, '-l', join(this.#folder, 'server.log'), '-o', options, '-w', '-t', '60', ...args]);
  }

  async #tool(name: string, args: string[]): Promise<void> {
    const path = join(this.#bin, name);
    try {
      if (this.#asPostgres) await run('runuser', ['-u', 'postgres', '--', path, ...args], { cwd: this.#folder });
      else await run(path, args, { cwd: this.#folder });
    } catch (error) {
      const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
      throw new ThrowawayPostgresError(`${name} ${args[0] ?? ''} failed: ${detail}`, { cause: error });
    }
  }
}
