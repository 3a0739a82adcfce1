import { KitError } from './kit-error.js';

/** What {@link MissingPeerDependencyError} names: the package to install and the entry point that needs it. */
export interface MissingPeerDependency {
  /** The npm package that is not installed, e.g. `better-sqlite3`. */
  peer: string;
  /** The Kit entry point that needs it, e.g. `@kit/conversations/sqlite`. */
  neededBy: string;
}

/**
 * An optional peer dependency is not installed: a provider SDK, `better-sqlite3`, `pg` or
 * `ioredis`. Kit packages declare these as optional peers, so `npm i @kit/llm` stays small, and
 * load them only in the entry point that uses them; this error says which package to install.
 */
export class MissingPeerDependencyError extends KitError {
  /** The npm package to install. */
  readonly peer: string;
  /** The Kit entry point that needs it. */
  readonly neededBy: string;

  /**
   * Builds the error with code `peer/missing` and a message saying what to `npm i`.
   * @param options - `cause`: the module-not-found error that revealed the missing peer.
   */
  constructor(missing: MissingPeerDependency, options?: { cause?: unknown }) {
    super('peer/missing', `${missing.neededBy} needs ${missing.peer}: npm i ${missing.peer}`, options);
    this.peer = missing.peer;
    this.neededBy = missing.neededBy;
  }
}

/**
 * True when `error` is Node's report that the package `name` itself cannot be found (not a file
 * inside it, nor a package it imports in turn: those are broken installs, not missing peers).
 */
export function isMissingPackageError(error: unknown, name: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  return error.message.includes(`'${name}'`) || error.message.includes(`"${name}"`);
}

/**
 * Loads an optional peer dependency. `load` is the `() => import('<peer>')` of the package that
 * declares the peer, written there so the specifier resolves from that package; a peer that is
 * not installed becomes a {@link MissingPeerDependencyError}, any other failure passes through.
 *
 * ```ts
 * const sqlite = await importOptionalPeer(() => import('better-sqlite3'), { peer: 'better-sqlite3', neededBy: '@kit/conversations/sqlite' });
 * ```
 */
export async function importOptionalPeer<T>(load: () => Promise<T>, missing: MissingPeerDependency): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissingPackageError(error, missing.peer)) throw new MissingPeerDependencyError(missing, { cause: error });
    throw error;
  }
}
