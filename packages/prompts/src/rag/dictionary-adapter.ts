import { formatIssues } from '@kit/llm';
import { z } from 'zod';
import { PromptError } from '../errors/prompt-error.js';
import { matchesFilters } from './metadata-filters.js';
import { throwIfRagAborted } from './rag-aborted-error.js';
import { rankResourceItems } from './rank-resource-items.js';
import { parseSearchArguments, type ResourceAdapter, type ResourceSearchOptions } from './resource-adapter.js';
import { copyMetadata, type ResourceItem } from './resource-item.js';
import { lazySchema } from '../lazy-schema.js';

/** A dictionary entry: its text, or its text and metadata. */
export type DictionaryEntry = string | { content: string; metadata?: Record<string, unknown> | undefined };

/** Options of {@link DictionaryAdapter}. */
export interface DictionaryAdapterOptions {
  /** The adapter's name for error messages: a non-empty string. */
  name: string;
  /** Key (a word or phrase) → entry. */
  entries: Readonly<Record<string, DictionaryEntry>>;
  /** Match keys with their case. Default false. */
  caseSensitive?: boolean | undefined;
}

const optionsSchema = lazySchema(() =>
  z.strictObject({
    name: z.string().min(1),
    entries: z.record(
      z.string().refine((key) => key.trim() !== '', 'a dictionary key holds a word or phrase'),
      z.union([z.string(), z.strictObject({ content: z.string(), metadata: z.record(z.string(), z.unknown()).optional() })]),
    ),
    caseSensitive: z.boolean().optional(),
  }),
);

interface CompiledEntry {
  key: string;
  pattern: RegExp;
  content: string;
  metadata: Record<string, unknown>;
  /** Key length in code points: longer keys are more specific and rank first on equal scores. */
  length: number;
}

// Lookarounds instead of \b, which only knows ASCII words even with the u flag.
const WORD_CHAR = String.raw`[\p{L}\p{N}\p{M}_]`;

/**
 * Looks up glossary entries by key: an entry matches when its key appears in the query as a
 * whole word or phrase (not inside a longer word; any run of whitespace in a key matches any
 * run in the query). Its score is how many times the key appears; on equal scores longer keys
 * come first, then by key. Keys are matched literally: regex characters in them mean nothing.
 * Item ids are the keys.
 *
 * @example
 * const glossary = new DictionaryAdapter({ name: 'glossary', entries: { BM25: 'A ranking function for keyword search.' } });
 * await glossary.search('How does bm25 work?', { k: 3 }); // [{ id: 'BM25', score: 1, ... }]
 */
export class DictionaryAdapter implements ResourceAdapter {
  /** The name given in the options. */
  readonly name: string;
  /** Whether keys match only with their case (the option; default false). */
  readonly caseSensitive: boolean;
  readonly #entries: CompiledEntry[];

  /**
   * Compiles the entries' keys; throws `PromptError` (`invalid-argument`) for invalid options or a
   * blank key.
   */
  constructor(options: DictionaryAdapterOptions) {
    const parsed = optionsSchema().safeParse(options);
    if (!parsed.success) throw new PromptError('invalid-argument', `invalid DictionaryAdapter options: ${formatIssues(parsed.error.issues)}`);
    this.name = parsed.data.name;
    this.caseSensitive = parsed.data.caseSensitive ?? false;
    const flags = this.caseSensitive ? 'gu' : 'giu';
    this.#entries = Object.entries(parsed.data.entries).map(([key, entry]) => {
      const words = key.normalize('NFC').trim().split(/\s+/u).map(escapeRegExp);
      return {
        key,
        pattern: new RegExp(`(?<!${WORD_CHAR})${words.join(String.raw`\s+`)}(?!${WORD_CHAR})`, flags),
        content: typeof entry === 'string' ? entry : entry.content,
        metadata: typeof entry === 'string' ? {} : copyMetadata(entry.metadata ?? {}),
        length: [...key.trim()].length,
      };
    });
  }

  /** Entries held. */
  get size(): number {
    return this.#entries.length;
  }

  /** The entries whose key appears in the query, at most `options.k`, best first. */
  async search(query: string, options: ResourceSearchOptions): Promise<ResourceItem[]> {
    const { query: text, options: parsed } = parseSearchArguments(this.name, query, options);
    throwIfRagAborted(parsed.signal, this.name);
    const normalized = text.normalize('NFC');
    const found: Array<ResourceItem & { length: number }> = [];
    for (const entry of this.#entries) {
      if (!matchesFilters(entry.metadata, parsed.filters)) continue;
      const occurrences = normalized.match(entry.pattern)?.length ?? 0;
      if (occurrences > 0) found.push({ id: entry.key, content: entry.content, score: occurrences, metadata: entry.metadata, length: entry.length });
    }
    return rankResourceItems(found, parsed.k, (a, b) => b.length - a.length).map(({ id, content, score, metadata }) => ({
      id,
      content,
      score,
      metadata: copyMetadata(metadata),
    }));
  }
}

/** Escapes the characters that are syntax in a `u`-flag regex (and only those: `u` rejects other escapes). */
function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
