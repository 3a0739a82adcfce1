import { mkdir, open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConversationStoreError } from '../conversation-errors.js';
import type { ConversationHeader, ConversationSnapshot } from '../conversation-record.js';
import type {
  AppendNodesInput,
  ConversationPage,
  ConversationStore,
  CreateConversationInput,
  ListConversationsOptions,
  SearchHit,
  WriteOptions,
} from '../conversation-store.js';
import { metadataMatches, pageConversations } from '../rules/conversation-list-query.js';
import { createdAtMs, SearchHitCollector, searchNode } from '../rules/conversation-search.js';
import { ConversationState } from '../rules/conversation-state.js';
import {
  parseAppendInput,
  parseConversationId,
  parseCreateInput,
  parseListOptions,
  parseMetadataPatch,
  parseNodeId,
  parseSearchInput,
  parseWriteOptions,
} from '../rules/conversation-store-input.js';
import { defaultSchemaMigrations, type SchemaMigrations } from '../migrations/schema-migrations.js';
import { acquireFileLock } from './conversation-file-lock.js';
import { CONVERSATION_FILE, conversationFileBase } from './conversation-file-name.js';
import { serializeFileRecord, type ConversationFileRecord } from './conversation-file-records.js';
import { ConversationLogFold } from './conversation-log-fold.js';
import { nextTailMark, readLogLines } from './conversation-log-reader.js';
import { KeyedMutex } from './keyed-mutex.js';

/** Options of {@link FileConversationStore}. */
export interface FileConversationStoreOptions {
  /** Rewrite a conversation's file as one snapshot line after this many records (default 1,000). */
  compactEvery?: number | undefined;
  /** Flush every write to disk (`fdatasync`) before acknowledging it (default true). Off only for tests and throwaway data. */
  fsync?: boolean | undefined;
  /** Where warnings go (a torn last line skipped or repaired). Default: `process.emitWarning`. */
  onWarning?: ((message: string) => void) | undefined;
  /** Migration steps for records from older schemas (default: the ones this release ships). */
  migrations?: SchemaMigrations | undefined;
  /** How long a write waits for another writer's lock (default 10,000 ms). */
  lockTimeoutMs?: number | undefined;
  /** A lock older than this is taken over even if its PID looks alive (default 60,000 ms). */
  staleLockMs?: number | undefined;
  /** Conversations whose index stays in memory between calls (default 1,000). */
  cachedConversations?: number | undefined;
}

/** What the store remembers about a conversation between calls, so a write reads only what is new. */
interface ConversationIndex {
  /** Header, node ids, highest seq: everything a write checks. No nodes. */
  state: ConversationState;
  ino: number;
  /** The end of the last complete line this index has seen. */
  size: number;
  /** The bytes just before `size`: if they still match, the file is the one indexed (see `#sync`). */
  tailMark: Buffer;
  /** Records since the file was last compacted. */
  records: number;
}

interface ConversationPaths {
  base: string;
  file: string;
  lock: string;
  temp: string;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

async function openIfExists(path: string, flags: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, flags);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

async function writeAllAt(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const result = await handle.write(bytes, written, bytes.length - written, position + written);
    written += result.bytesWritten;
  }
}

function defaultWarning(message: string): void {
  process.emitWarning(message, { type: 'ConversationStoreWarning' });
}

/**
 * A `ConversationStore` over a folder of JSONL files: one `<id>.jsonl` per conversation (the id
 * encoded as a safe file name), one JSON record per line, only ever appended to, each write
 * flushed with `fdatasync` before it is acknowledged.
 *
 * - Appends cost the same whatever the conversation's size: the store keeps an index per
 *   conversation (version, node ids, highest seq, file offset) and reads only the lines other
 *   processes added since; a write is one line (the new nodes and the active pointer).
 * - Processes share a folder safely: each write holds `<id>.lock` (created atomically; a lock whose
 *   process died is broken), re-reads what others appended, then checks the expected version.
 * - Every `compactEvery` records, the file is rewritten as one `snapshot` line: written to
 *   `<id>.jsonl.tmp`, flushed, renamed over the original, and the folder flushed.
 * - A torn last line (a writer killed mid-write; never acknowledged) is skipped with a warning on
 *   load, and cut off by the next write. Nothing before it is lost.
 * - `list` reads every conversation's header (from the index when the file has not changed, else
 *   from the file) and `search` reads every file whole: both cost O(total size) on a cold store.
 */
export class FileConversationStore implements ConversationStore {
  /** The folder holding the conversation files, as an absolute path. */
  readonly directory: string;
  readonly #compactEvery: number;
  readonly #fsync: boolean;
  readonly #warn: (message: string) => void;
  readonly #migrations: SchemaMigrations;
  readonly #lockTimeoutMs: number;
  readonly #staleLockMs: number;
  readonly #cacheSize: number;
  readonly #index = new Map<string, ConversationIndex>();
  readonly #mutex = new KeyedMutex();
  #closed = false;

  private constructor(directory: string, options: FileConversationStoreOptions) {
    this.directory = directory;
    this.#compactEvery = options.compactEvery ?? 1000;
    this.#fsync = options.fsync ?? true;
    this.#warn = options.onWarning ?? defaultWarning;
    this.#migrations = options.migrations ?? defaultSchemaMigrations;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
    this.#staleLockMs = options.staleLockMs ?? 60_000;
    this.#cacheSize = options.cachedConversations ?? 1000;
    for (const [name, value] of [
      ['compactEvery', this.#compactEvery],
      ['lockTimeoutMs', this.#lockTimeoutMs],
      ['staleLockMs', this.#staleLockMs],
      ['cachedConversations', this.#cacheSize],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) throw new ConversationStoreError('invalid', `${name} must be a positive integer, got ${value}`);
    }
  }

  /** Opens (creating it if needed) a store in `directory`. */
  static async open(directory: string, options: FileConversationStoreOptions = {}): Promise<FileConversationStore> {
    const absolute = resolve(directory);
    const store = new FileConversationStore(absolute, options);
    await mkdir(absolute, { recursive: true });
    return store;
  }

  async create(input: CreateConversationInput): Promise<ConversationHeader> {
    this.#assertOpen();
    const parsed = parseCreateInput(input);
    const paths = this.#paths(parsed.id);
    return this.#locked(parsed.id, paths, async () => {
      let handle = await open(paths.file, 'wx').catch((error: unknown) => {
        if (errorCode(error) === 'EEXIST') return undefined;
        throw error;
      });
      const isNew = handle !== undefined;
      if (handle === undefined) {
        handle = await openIfExists(paths.file, 'r+');
        if (handle === undefined) throw new ConversationStoreError('conflict', 'the conversation was deleted and recreated during create', { conversationId: parsed.id, retryable: false });
        try {
          await this.#refuseExisting(handle, paths, parsed.id);
        } catch (error) {
          await handle.close();
          throw error;
        }
      }
      try {
        const state = ConversationState.create(parsed, false);
        const bytes = Buffer.from(serializeFileRecord({ type: 'create', header: state.header, root: parsed.root }), 'utf8');
        await handle.truncate(0);
        await writeAllAt(handle, bytes, 0);
        if (this.#fsync) await handle.datasync();
        const { ino } = await handle.stat();
        this.#remember(paths.base, { state, ino, size: bytes.length, tailMark: nextTailMark(Buffer.alloc(0), bytes), records: 1 });
      } finally {
        await handle.close();
      }
      if (isNew) await this.#syncDirectory();
      return structuredClone(this.#index.get(paths.base)!.state.header);
    });
  }

  async appendNodes(conversationId: string, input: AppendNodesInput): Promise<ConversationHeader> {
    this.#assertOpen();
    const id = parseConversationId(conversationId);
    const parsed = parseAppendInput(id, input);
    return this.#write(id, (state) => {
      state.checkVersion(parsed.expectedVersion);
      state.checkAppend(parsed.nodes, parsed.activeNodeId);
      const activeNodeId = parsed.activeNodeId ?? state.header.activeNodeId;
      return { type: 'append', version: state.version + 1, nodes: parsed.nodes, activeNodeId, at: new Date().toISOString() };
    });
  }

  async setActiveNode(conversationId: string, nodeId: string, options: WriteOptions): Promise<ConversationHeader> {
    this.#assertOpen();
    const id = parseConversationId(conversationId);
    const node = parseNodeId(nodeId, id);
    const expectedVersion = parseWriteOptions(id, options);
    return this.#write(id, (state) => {
      state.checkVersion(expectedVersion);
      state.checkActive(node);
      return { type: 'active', version: state.version + 1, nodeId: node, at: new Date().toISOString() };
    });
  }

  async updateMetadata(conversationId: string, patch: Readonly<Record<string, unknown>>, options: WriteOptions): Promise<ConversationHeader> {
    this.#assertOpen();
    const id = parseConversationId(conversationId);
    const parsedPatch = parseMetadataPatch(id, patch);
    const expectedVersion = parseWriteOptions(id, options);
    return this.#write(id, (state) => {
      state.checkVersion(expectedVersion);
      return { type: 'metadata', version: state.version + 1, patch: parsedPatch, at: new Date().toISOString() };
    });
  }

  /** Reads the whole file (under the lock, so no write is half-seen), migrating older records. */
  async load(conversationId: string): Promise<ConversationSnapshot | null> {
    this.#assertOpen();
    const id = parseConversationId(conversationId);
    const paths = this.#paths(id);
    return this.#locked(id, paths, async () => {
      const handle = await openIfExists(paths.file, 'r');
      if (handle === undefined) {
        this.#index.delete(paths.base);
        return null;
      }
      try {
        const { fold, index } = await this.#readWhole(handle, paths, true, 'warn');
        if (fold.state === undefined) return null;
        if (index !== undefined) this.#remember(paths.base, index);
        return structuredClone({ ...fold.state.header, nodes: fold.state.nodes! });
      } finally {
        await handle.close();
      }
    });
  }

  /**
   * Reads every conversation's header: from the index when the file has only grown since (a stat
   * and a small read), else from the whole file. Unreadable files are skipped with a warning.
   */
  async list(options?: ListConversationsOptions): Promise<ConversationPage> {
    this.#assertOpen();
    const parsed = parseListOptions(options);
    const headers: ConversationHeader[] = [];
    for (const base of await this.#conversationBases()) {
      const header = await this.#mutex.run(base, async () => {
        const handle = await openIfExists(join(this.directory, `${base}.jsonl`), 'r');
        if (handle === undefined) return undefined;
        try {
          return (await this.#sync(handle, this.#pathsOfBase(base), 'quiet'))?.state.header;
        } catch (error) {
          if (!(error instanceof ConversationStoreError)) throw error;
          this.#warn(`${base}.jsonl: left out of list: ${error.message}`);
          return undefined;
        } finally {
          await handle.close();
        }
      });
      if (header !== undefined) headers.push(header);
    }
    return structuredClone(pageConversations(headers, parsed));
  }

  /** Reads every file whole: O(total size of the store). Unreadable files are skipped with a warning. */
  async search(text: string, options?: { limit?: number | undefined; metadata?: ListConversationsOptions['metadata'] }): Promise<SearchHit[]> {
    this.#assertOpen();
    const parsed = parseSearchInput(text, options);
    const queryLower = parsed.text.toLowerCase();
    const collector = new SearchHitCollector(parsed.limit);
    for (const base of await this.#conversationBases()) {
      const state = await this.#mutex.run(base, async () => {
        const handle = await openIfExists(join(this.directory, `${base}.jsonl`), 'r');
        if (handle === undefined) return undefined;
        try {
          return (await this.#readWhole(handle, this.#pathsOfBase(base), true, 'quiet')).fold.state;
        } catch (error) {
          if (!(error instanceof ConversationStoreError)) throw error;
          this.#warn(`${base}.jsonl: left out of search: ${error.message}`);
          return undefined;
        } finally {
          await handle.close();
        }
      });
      if (state === undefined || !metadataMatches(state.header.metadata, parsed.metadata)) continue;
      for (const node of state.nodes!) {
        const hit = searchNode(state.id, node, queryLower);
        if (hit !== undefined) collector.add({ hit, createdAtMs: createdAtMs(node), seq: node.seq });
      }
    }
    return collector.result();
  }

  async delete(conversationId: string): Promise<boolean> {
    this.#assertOpen();
    const id = parseConversationId(conversationId);
    const paths = this.#paths(id);
    return this.#locked(id, paths, async () => {
      this.#index.delete(paths.base);
      await unlink(paths.temp).catch(() => undefined);
      try {
        await unlink(paths.file);
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return false;
        throw error;
      }
      await this.#syncDirectory();
      return true;
    });
  }

  /** Later calls fail with `closed`; calls already running finish. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#index.clear();
  }

  #assertOpen(): void {
    if (this.#closed) throw new ConversationStoreError('closed', 'the store is closed');
  }

  #paths(conversationId: string): ConversationPaths {
    return this.#pathsOfBase(conversationFileBase(conversationId));
  }

  #pathsOfBase(base: string): ConversationPaths {
    const file = join(this.directory, `${base}.jsonl`);
    return { base, file, lock: join(this.directory, `${base}.lock`), temp: `${file}.tmp` };
  }

  async #conversationBases(): Promise<string[]> {
    const names = await readdir(this.directory);
    return names.filter((name) => CONVERSATION_FILE.test(name)).map((name) => name.slice(0, -'.jsonl'.length));
  }

  /** Runs `task` holding this process's turn for the conversation and its lock file. */
  async #locked<T>(conversationId: string, paths: ConversationPaths, task: () => Promise<T>): Promise<T> {
    return this.#mutex.run(paths.base, async () => {
      const release = await acquireFileLock(paths.lock, { timeoutMs: this.#lockTimeoutMs, staleMs: this.#staleLockMs, conversationId });
      try {
        return await task();
      } finally {
        await release();
      }
    });
  }

  /**
   * One write: under the lock, bring the index up to date with the file (reading only what other
   * processes appended), let `decide` check the state and name the record, append it as one line,
   * flush, and only then apply it to the index. Compacts afterwards when due.
   */
  async #write(conversationId: string, decide: (state: ConversationState) => ConversationFileRecord): Promise<ConversationHeader> {
    const paths = this.#paths(conversationId);
    return this.#locked(conversationId, paths, async () => {
      const handle = await openIfExists(paths.file, 'r+');
      if (handle === undefined) {
        this.#index.delete(paths.base);
        throw new ConversationStoreError('not-found', 'no such conversation', { conversationId });
      }
      let index: ConversationIndex | undefined;
      let header: ConversationHeader;
      try {
        index = await this.#sync(handle, paths, 'repair', handle);
        if (index === undefined) throw new ConversationStoreError('not-found', 'no such conversation', { conversationId });
        const record = decide(index.state);
        const bytes = Buffer.from(serializeFileRecord(record), 'utf8');
        try {
          await writeAllAt(handle, bytes, index.size);
          if (this.#fsync) await handle.datasync();
        } catch (error) {
          // Leave nothing behind from a write that is not acknowledged.
          await handle.truncate(index.size).catch(() => undefined);
          this.#index.delete(paths.base);
          throw error;
        }
        header = this.#applyToIndex(index, record);
        index.size += bytes.length;
        index.tailMark = nextTailMark(index.tailMark, bytes);
        index.records++;
      } finally {
        await handle.close();
      }
      if (index.records >= this.#compactEvery) await this.#compact(paths, conversationId);
      return structuredClone(header);
    });
  }

  #applyToIndex(index: ConversationIndex, record: ConversationFileRecord): ConversationHeader {
    switch (record.type) {
      case 'append':
        return index.state.applyAppend(record.version, record.at, record.nodes, record.activeNodeId);
      case 'active':
        return index.state.applyActive(record.version, record.at, record.nodeId);
      case 'metadata':
        return index.state.applyMetadata(record.version, record.at, record.patch);
      default:
        throw new ConversationStoreError('invalid', `"${record.type}" is not a write to an existing conversation`);
    }
  }

  /**
   * Brings the index of one file up to date and returns it (`undefined`: the file holds no
   * conversation yet). When the file is the one indexed (same inode, not shorter, and the bytes
   * before the indexed end unchanged) only the new lines are read; otherwise (first use, or
   * compacted or recreated by another process) the whole file. `torn` says what to do with an
   * incomplete last line: `repair` cuts it off (a writer holding the lock: it is a dead writer's),
   * `warn` reports it, `quiet` ignores it (no lock held: it may be a write in progress).
   */
  async #sync(handle: FileHandle, paths: ConversationPaths, torn: 'repair' | 'warn' | 'quiet', writable?: FileHandle): Promise<ConversationIndex | undefined> {
    const info = await handle.stat();
    const cached = this.#index.get(paths.base);
    if (cached !== undefined && cached.ino === info.ino && info.size >= cached.size && (await this.#tailMatches(handle, cached))) {
      this.#touch(paths.base, cached);
      if (info.size === cached.size) return cached;
      try {
        const read = await readLogLines(handle, cached.size, info.size, cached.tailMark);
        const fold = new ConversationLogFold(this.#foldOptions(paths, false), cached.state);
        for (const line of read.lines) fold.apply(line);
        cached.size = read.completeEnd;
        cached.tailMark = read.tailMark;
        cached.records += read.lines.length;
        await this.#handleTornTail(paths, read.completeEnd, read.tailBytes, torn, writable);
        return cached;
      } catch (error) {
        // The cached state may be half-updated: forget it, the next call reads the file afresh.
        this.#index.delete(paths.base);
        throw error;
      }
    }
    this.#index.delete(paths.base);
    const { index } = await this.#readWhole(handle, paths, false, torn, writable, info.size, info.ino);
    if (index !== undefined) this.#remember(paths.base, index);
    return index;
  }

  async #readWhole(
    handle: FileHandle,
    paths: ConversationPaths,
    keepNodes: boolean,
    torn: 'repair' | 'warn' | 'quiet',
    writable?: FileHandle,
    knownSize?: number,
    knownIno?: number,
  ): Promise<{ fold: ConversationLogFold; index: ConversationIndex | undefined }> {
    let size = knownSize;
    let ino = knownIno;
    if (size === undefined || ino === undefined) ({ size, ino } = await handle.stat());
    const read = await readLogLines(handle, 0, size);
    const fold = new ConversationLogFold(this.#foldOptions(paths, keepNodes));
    for (const line of read.lines) fold.apply(line);
    await this.#handleTornTail(paths, read.completeEnd, read.tailBytes, torn, writable);
    const state = fold.state;
    if (state === undefined) return { fold, index: undefined };
    return {
      fold,
      index: { state: keepNodes ? state.withoutNodes() : state, ino, size: read.completeEnd, tailMark: read.tailMark, records: fold.records },
    };
  }

  async #handleTornTail(paths: ConversationPaths, completeEnd: number, tailBytes: number, torn: 'repair' | 'warn' | 'quiet', writable?: FileHandle): Promise<void> {
    if (tailBytes === 0 || torn === 'quiet') return;
    if (torn === 'repair' && writable !== undefined) {
      await writable.truncate(completeEnd);
      if (this.#fsync) await writable.datasync();
      this.#warn(`${paths.base}.jsonl: cut off a torn last line (${tailBytes} bytes at byte ${completeEnd}) left by an interrupted write; it was never acknowledged`);
    } else {
      this.#warn(`${paths.base}.jsonl: skipped a torn last line (${tailBytes} bytes at byte ${completeEnd}) left by an interrupted write`);
    }
  }

  async #tailMatches(handle: FileHandle, index: ConversationIndex): Promise<boolean> {
    const length = index.tailMark.length;
    if (length === 0) return true;
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, index.size - length);
    return bytesRead === length && buffer.equals(index.tailMark);
  }

  /** Refuses `create` over a file that holds a conversation; a file left empty or torn by a crashed create is reused. */
  async #refuseExisting(handle: FileHandle, paths: ConversationPaths, conversationId: string): Promise<void> {
    let exists: boolean;
    try {
      exists = (await this.#readWhole(handle, paths, false, 'quiet')).fold.state !== undefined;
    } catch (error) {
      if (!(error instanceof ConversationStoreError)) throw error;
      exists = true;
    }
    if (exists) throw new ConversationStoreError('conflict', 'a conversation with this id exists', { conversationId, retryable: false });
    this.#warn(`${paths.base}.jsonl: reusing a file left without a complete record by an interrupted create`);
  }

  /** Rewrites the file as one snapshot line: temp file, flush, rename over, flush the folder. */
  async #compact(paths: ConversationPaths, conversationId: string): Promise<void> {
    try {
      const source = await open(paths.file, 'r');
      let fold: ConversationLogFold;
      try {
        ({ fold } = await this.#readWhole(source, paths, true, 'quiet'));
      } finally {
        await source.close();
      }
      const state = fold.state!;
      const bytes = Buffer.from(serializeFileRecord({ type: 'snapshot', header: state.header, nodes: state.nodes! }), 'utf8');
      const temp = await open(paths.temp, 'w');
      let ino: number;
      try {
        await writeAllAt(temp, bytes, 0);
        if (this.#fsync) await temp.sync();
        ({ ino } = await temp.stat());
      } finally {
        await temp.close();
      }
      await rename(paths.temp, paths.file);
      await this.#syncDirectory();
      this.#remember(paths.base, { state: state.withoutNodes(), ino, size: bytes.length, tailMark: nextTailMark(Buffer.alloc(0), bytes), records: 1 });
    } catch (error) {
      // The write that triggered compaction is durable already; the file is still valid as it was.
      this.#index.delete(paths.base);
      this.#warn(`${paths.base}.jsonl: compaction of conversation "${conversationId}" failed and will be retried: ${(error as Error).message}`);
    }
  }

  async #syncDirectory(): Promise<void> {
    if (!this.#fsync) return;
    let handle: FileHandle | undefined;
    try {
      handle = await open(this.directory, 'r');
      await handle.sync();
    } catch (error) {
      // Some platforms cannot open or flush a directory (Windows); the rename itself is still atomic.
      if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF', 'EACCES'].includes(errorCode(error) ?? '')) throw error;
    } finally {
      await handle?.close();
    }
  }

  #foldOptions(paths: ConversationPaths, keepNodes: boolean) {
    return { fileBase: paths.base, fileName: `${paths.base}.jsonl`, migrations: this.#migrations, keepNodes, warn: this.#warn };
  }

  #remember(base: string, index: ConversationIndex): void {
    this.#index.delete(base);
    this.#index.set(base, index);
    // Least recently used first: Map keeps insertion order.
    while (this.#index.size > this.#cacheSize) this.#index.delete(this.#index.keys().next().value!);
  }

  #touch(base: string, index: ConversationIndex): void {
    this.#index.delete(base);
    this.#index.set(base, index);
  }
}

