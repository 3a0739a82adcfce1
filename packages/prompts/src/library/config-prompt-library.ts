import { z } from 'zod';
import { LibraryParseError } from '../errors/prompt-error.js';
import type { PromptTemplate } from '../template/prompt-template.js';
import { messageSequenceSchema, templateEntrySchema, type MessageSequence, type PromptKind, type PromptLibrary } from './prompt-library.js';

/** What `ConfigPromptLibrary` takes: plain objects; a string is shorthand for `{ template }`; user prompts may be lists. */
export const promptLibraryConfigSchema = z.strictObject({
  /** System templates by name. Default `{}`. */
  system: z.record(z.string(), templateEntrySchema).default({}),
  /** User templates by name: one template or a list of variants (by index). Default `{}`. */
  user: z.record(z.string(), z.preprocess((entry) => (Array.isArray(entry) ? entry : [entry]), z.array(templateEntrySchema).min(1))).default({}),
  /** Message sequences by name. Default `{}`. */
  messages: z.record(z.string(), messageSequenceSchema).default({}),
});
/** What {@link ConfigPromptLibrary} takes (see `promptLibraryConfigSchema`). */
export type PromptLibraryConfig = z.input<typeof promptLibraryConfigSchema>;

/** The entries of a library, validated; shared by the config and file system libraries. */
export interface LibraryEntries {
  /** System templates by name. */
  system: Map<string, PromptTemplate>;
  /** User templates by name, each a non-empty list of variants (by index). */
  user: Map<string, PromptTemplate[]>;
  /** Message sequences by name. */
  messages: Map<string, MessageSequence>;
}

/** Serves validated entries as copies. */
export class EntriesPromptLibrary implements PromptLibrary {
  /** The validated entries served; `FileSystemPromptLibrary` swaps in a new object when it reloads. */
  protected entries: LibraryEntries;

  /** Serves `entries` as they are (not copied); every getter returns a copy. */
  constructor(entries: LibraryEntries) {
    this.entries = entries;
  }

  /** The system template `name`, as a copy, or undefined. */
  async getSystemPrompt(name: string): Promise<PromptTemplate | undefined> {
    const found = this.entries.system.get(name);
    return found === undefined ? undefined : structuredClone(found);
  }

  /** The user template `name` at `index` (default 0), as a copy, or undefined. */
  async getUserPrompt(name: string, index = 0): Promise<PromptTemplate | undefined> {
    const found = this.entries.user.get(name)?.[index];
    return found === undefined ? undefined : structuredClone(found);
  }

  /** The message sequence `name`, as a copy, or undefined. */
  async getMessageSequence(name: string): Promise<MessageSequence | undefined> {
    const found = this.entries.messages.get(name);
    return found === undefined ? undefined : structuredClone(found);
  }

  /** The names of one kind, sorted. */
  async listPrompts(kind: PromptKind): Promise<string[]> {
    return [...this.entries[kind].keys()].sort();
  }
}

/**
 * A library from plain objects, e.g. loaded from your app's config. Validated once, at
 * construction: a bad entry is a `LibraryParseError` naming its path.
 *
 * @example
 * const library = new ConfigPromptLibrary({
 *   system: { assistant: 'You are a helpful assistant for {{product}}.' },
 *   user: { ask: { template: 'Question: {{question}}', validation: { required: ['question'] } } },
 * });
 */
export class ConfigPromptLibrary extends EntriesPromptLibrary {
  /** Validates and copies `config`; throws `LibraryParseError` naming the path of the first bad entry. */
  constructor(config: PromptLibraryConfig) {
    const parsed = promptLibraryConfigSchema.safeParse(config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new LibraryParseError(`invalid prompt library config at ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
    }
    const { system, user, messages } = parsed.data;
    super({
      system: new Map(Object.entries(structuredClone(system))),
      user: new Map(Object.entries(structuredClone(user))),
      messages: new Map(Object.entries(structuredClone(messages))),
    });
  }
}
