import { formatIssues } from '@kit/llm';
import { z } from 'zod';
import { PromptError } from '../errors/prompt-error.js';
import { matchesFilters } from './metadata-filters.js';
import { throwIfRagAborted } from './rag-aborted-error.js';
import { rankResourceItems } from './rank-resource-items.js';
import { parseSearchArguments, type ResourceAdapter, type ResourceSearchOptions } from './resource-adapter.js';
import { resourceDocumentsSchema, type ResourceDocument } from './resource-document.js';
import { copyMetadata, type ResourceItem } from './resource-item.js';
import { tokenizeWords } from './word-tokenizer.js';
import { lazySchema } from '../lazy-schema.js';

/** Options of {@link KeywordAdapter}: its name and the BM25 parameters. */
export interface KeywordAdapterOptions {
  /** The adapter's name for error messages. */
  name: string;
  /** Term-frequency saturation. Default 1.2. */
  k1?: number | undefined;
  /** Document-length normalisation, 0 (none) to 1 (full). Default 0.75. */
  b?: number | undefined;
  /** Words ignored in documents and queries (compared after the same normalisation). */
  stopWords?: readonly string[] | undefined;
}

const optionsSchema = lazySchema(() =>
  z.strictObject({
    name: z.string().min(1),
    k1: z.number().min(0).finite().optional(),
    b: z.number().min(0).max(1).optional(),
    stopWords: z.array(z.string()).optional(),
  }),
);

interface IndexedDocument {
  id: string;
  content: string;
  metadata: Record<string, unknown>;
  /** Words counted, stop words excluded. */
  length: number;
  terms: string[];
}

/**
 * Keyword search with BM25 ranking, held in memory. A document scores
 * `Σ idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·|D|/avgdl))` over the distinct query words `t`
 * it contains, with the Lucene IDF `ln(1 + (N − n + 0.5)/(n + 0.5))`, which is never negative,
 * so a word found in every document still counts a little. Documents sharing no word with the
 * query are not returned. N, n and avgdl cover the whole index, not only the filtered part.
 *
 * @example
 * const kb = new KeywordAdapter({ name: 'kb', stopWords: ['the', 'a'] });
 * kb.addDocuments([{ id: 'faq-1', content: 'Reset your password from the login page' }]);
 * await kb.search('password reset', { k: 5 });
 */
export class KeywordAdapter implements ResourceAdapter {
  /** The name given in the options. */
  readonly name: string;
  /** BM25 term-frequency saturation (the option; default 1.2). */
  readonly k1: number;
  /** BM25 document-length normalisation, 0 to 1 (the option; default 0.75). */
  readonly b: number;
  readonly #stopWords: ReadonlySet<string>;
  readonly #documents = new Map<string, IndexedDocument>();
  /** term → document id → term frequency; a term's document frequency is its map's size. */
  readonly #postings = new Map<string, Map<string, number>>();
  #totalLength = 0;

  /** Builds an empty index; throws `PromptError` (`invalid-argument`) for invalid options. */
  constructor(options: KeywordAdapterOptions) {
    const parsed = optionsSchema().safeParse(options);
    if (!parsed.success) throw new PromptError('invalid-argument', `invalid KeywordAdapter options: ${formatIssues(parsed.error.issues)}`);
    this.name = parsed.data.name;
    this.k1 = parsed.data.k1 ?? 1.2;
    this.b = parsed.data.b ?? 0.75;
    this.#stopWords = new Set((parsed.data.stopWords ?? []).flatMap(tokenizeWords));
  }

  /** Documents held. */
  get size(): number {
    return this.#documents.size;
  }

  /** How many documents hold `word` (after normalisation); 0 for a stop word. */
  documentFrequency(word: string): number {
    const [term] = this.#terms(word);
    return term === undefined ? 0 : (this.#postings.get(term)?.size ?? 0);
  }

  /** Indexes documents; a document whose id is already held replaces it, and a later duplicate wins. */
  addDocuments(documents: readonly ResourceDocument[]): void {
    const parsed = resourceDocumentsSchema().safeParse(documents);
    if (!parsed.success) throw new PromptError('invalid-argument', `invalid documents for RAG adapter "${this.name}": ${formatIssues(parsed.error.issues)}`);
    for (const doc of parsed.data) {
      this.#remove(doc.id);
      const terms = this.#terms(doc.content);
      const frequencies = new Map<string, number>();
      for (const term of terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
      for (const [term, frequency] of frequencies) {
        let posting = this.#postings.get(term);
        if (posting === undefined) this.#postings.set(term, (posting = new Map()));
        posting.set(doc.id, frequency);
      }
      this.#documents.set(doc.id, { id: doc.id, content: doc.content, metadata: copyMetadata(doc.metadata ?? {}), length: terms.length, terms: [...frequencies.keys()] });
      this.#totalLength += terms.length;
    }
  }

  /** Removes documents by id; returns how many were held. */
  removeDocuments(ids: Iterable<string>): number {
    let removed = 0;
    for (const id of ids) if (this.#remove(id)) removed++;
    return removed;
  }

  /** The documents that best match the query's words by BM25, at most `options.k`, best first. */
  async search(query: string, options: ResourceSearchOptions): Promise<ResourceItem[]> {
    const { query: text, options: parsed } = parseSearchArguments(this.name, query, options);
    throwIfRagAborted(parsed.signal, this.name);
    const count = this.#documents.size;
    if (count === 0) return [];
    const averageLength = this.#totalLength / count;
    const scores = new Map<string, number>();
    for (const term of new Set(this.#terms(text))) {
      const posting = this.#postings.get(term);
      if (posting === undefined) continue;
      const idf = Math.log(1 + (count - posting.size + 0.5) / (posting.size + 0.5));
      for (const [id, frequency] of posting) {
        const length = this.#documents.get(id)!.length;
        const norm = this.k1 * (1 - this.b + (this.b * length) / averageLength);
        scores.set(id, (scores.get(id) ?? 0) + (idf * frequency * (this.k1 + 1)) / (frequency + norm));
      }
    }
    const items: ResourceItem[] = [];
    for (const [id, score] of scores) {
      const doc = this.#documents.get(id)!;
      if (matchesFilters(doc.metadata, parsed.filters)) items.push({ id, content: doc.content, score, metadata: doc.metadata });
    }
    return rankResourceItems(items, parsed.k).map((item) => ({ ...item, metadata: copyMetadata(item.metadata) }));
  }

  #terms(text: string): string[] {
    return tokenizeWords(text).filter((word) => !this.#stopWords.has(word));
  }

  #remove(id: string): boolean {
    const doc = this.#documents.get(id);
    if (doc === undefined) return false;
    for (const term of doc.terms) {
      const posting = this.#postings.get(term)!;
      posting.delete(id);
      if (posting.size === 0) this.#postings.delete(term);
    }
    this.#totalLength -= doc.length;
    this.#documents.delete(id);
    return true;
  }
}
