import { watch as watchFolder, type FSWatcher } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { z } from 'zod';
import { LibraryParseError } from '../errors/prompt-error.js';
import type { PromptTemplate } from '../template/prompt-template.js';
import { EntriesPromptLibrary, type LibraryEntries } from './config-prompt-library.js';
import { parseLibraryDocument } from './parse-library-document.js';
import { messageSequenceSchema, templateEntrySchema, type MessageSequence } from './prompt-library.js';
import { lazySchema } from '../lazy-schema.js';

/** Options of {@link FileSystemPromptLibrary.open}. */
export interface FileSystemPromptLibraryOptions {
  /** Reload when files change (through `fs.watch`); call `close()` to stop. Default false. */
  watch?: boolean | undefined;
  /** After a reload that succeeded. */
  onReload?: (() => void) | undefined;
  /**
   * A reload that failed (a file that does not parse): the library keeps serving what it had.
   * Without this handler the error is reported through `process.emitWarning`.
   */
  onError?: ((error: LibraryParseError) => void) | undefined;
  /** Milliseconds to wait for a burst of file events to settle before reloading. Default 50. */
  debounceMs?: number | undefined;
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
// A user prompt file holds one template or a list of them; one is read as a list of one.
const userListSchema = lazySchema(() => z.array(templateEntrySchema).min(1));
const userSingleSchema = lazySchema(() => templateEntrySchema.transform((entry) => [entry]));
const userFileSchema = (data: unknown): z.ZodType<PromptTemplate[]> => (Array.isArray(data) ? userListSchema() : userSingleSchema());

/**
 * A library in a folder: `system/`, `user/` and `messages/`, each holding YAML or JSON files
 * (subfolders allowed; `system/support/greeting.yaml` is named `support/greeting`). A user
 * prompt file holds one template or a list of them (by index). Every file is read and validated
 * when the library opens: a file that fails is a `LibraryParseError` with the file, line and
 * column, never a silent skip.
 *
 * @example
 * const library = await FileSystemPromptLibrary.open('./prompts', { watch: true });
 * const system = await library.getSystemPrompt('assistant');
 */
export class FileSystemPromptLibrary extends EntriesPromptLibrary {
  /** The folder the library was opened on, as given to `open` (relative paths stay relative). */
  readonly root: string;
  readonly #watchers: FSWatcher[] = [];
  #reloadTimer: NodeJS.Timeout | undefined;
  #reloading: Promise<void> = Promise.resolve();

  private constructor(root: string, entries: LibraryEntries) {
    super(entries);
    this.root = root;
  }

  /**
   * Reads and validates every file under `root`; a file that does not parse fails the call with a
   * `LibraryParseError`. With `watch`, reloads on changes until `close()`.
   */
  static async open(root: string, options: FileSystemPromptLibraryOptions = {}): Promise<FileSystemPromptLibrary> {
    const library = new FileSystemPromptLibrary(root, await loadEntries(root));
    if (options.watch === true) library.#startWatching(options);
    return library;
  }

  /** Reads every file again; on failure the library keeps what it had and the error is thrown. */
  async reload(): Promise<void> {
    this.entries = await loadEntries(this.root);
  }

  /** Stops watching. */
  close(): void {
    clearTimeout(this.#reloadTimer);
    for (const watcher of this.#watchers.splice(0)) watcher.close();
  }

  #startWatching(options: FileSystemPromptLibraryOptions): void {
    const schedule = (): void => {
      clearTimeout(this.#reloadTimer);
      this.#reloadTimer = setTimeout(() => {
        // Reloads run one after another, so an older slow read never overwrites a newer one.
        this.#reloading = this.#reloading.then(async () => {
          try {
            await this.reload();
            options.onReload?.();
          } catch (error) {
            const failure = error instanceof LibraryParseError ? error : new LibraryParseError(String(error), { cause: error });
            if (options.onError !== undefined) options.onError(failure);
            else process.emitWarning(failure.message, { code: 'KIT_PROMPT_LIBRARY_RELOAD' });
          }
        });
      }, options.debounceMs ?? 50);
      this.#reloadTimer.unref();
    };
    const watcher = watchFolder(this.root, { recursive: true, persistent: false }, schedule);
    watcher.on('error', (error) => options.onError?.(new LibraryParseError(`watching ${this.root} failed: ${error.message}`, { cause: error })));
    this.#watchers.push(watcher);
  }
}

async function loadEntries(root: string): Promise<LibraryEntries> {
  const entries: LibraryEntries = { system: new Map(), user: new Map(), messages: new Map() };
  const load = async <T>(kind: keyof LibraryEntries, parse: (text: string, file: string) => T, into: Map<string, T>): Promise<void> => {
    const folder = join(root, kind);
    const files = await listFiles(folder);
    const origins = new Map<string, string>();
    await Promise.all(
      files.map(async (file) => {
        const display = relative(root, file);
        const name = relative(folder, file).slice(0, -extname(file).length).split(sep).join('/');
        const other = origins.get(name);
        if (other !== undefined) throw new LibraryParseError(`two files define the ${kind} prompt "${name}": ${other} and ${display}`, { location: { file: display, line: 1, column: 1 } });
        origins.set(name, display);
        into.set(name, parse(await readFile(file, 'utf8'), display));
      }),
    );
  };
  await Promise.all([
    load<PromptTemplate>('system', (text, file) => parseLibraryDocument(text, file, templateEntrySchema), entries.system),
    load<PromptTemplate[]>(
      'user',
      (text, file) => parseLibraryDocument(text, file, userFileSchema),
      entries.user,
    ),
    load<MessageSequence>('messages', (text, file) => parseLibraryDocument(text, file, messageSequenceSchema), entries.messages),
  ]);
  return entries;
}

/** Every library file under a folder, recursively; a missing folder holds none. */
async function listFiles(folder: string): Promise<string[]> {
  let dirents;
  try {
    dirents = await readdir(folder, { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return dirents
    .filter((d) => d.isFile() && EXTENSIONS.has(extname(d.name).toLowerCase()))
    .map((d) => join(d.parentPath, d.name))
    .sort();
}
