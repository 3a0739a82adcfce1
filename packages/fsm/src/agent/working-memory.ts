import { z } from 'zod';
import { parseAgentInput } from './parse-agent-input.js';
import { lazySchema } from '../lazy-schema.js';

/** How many buckets working memory has: indexes 0 to 9. */
export const WORKING_MEMORY_BUCKETS = 10;

/** A bucket index, 0 to 9. */
export const bucketIndexSchema = z
  .number()
  .int('a bucket index is a whole number')
  .min(0, `bucket indexes run from 0 to ${WORKING_MEMORY_BUCKETS - 1}`)
  .max(WORKING_MEMORY_BUCKETS - 1, `bucket indexes run from 0 to ${WORKING_MEMORY_BUCKETS - 1}`);

const contentSchema = lazySchema(() => z.string());

/** One bucket as stored: its text and when it last changed (ISO 8601, or null if never). */
export interface MemoryBucket {
  /** The bucket's text; `''` when empty. */
  content: string;
  /** When the text last changed (ISO 8601); null if never set or since emptied. */
  updatedAt: string | null;
}

/** A non-empty bucket, as `viewAll` lists it. */
export interface BucketView {
  /** The bucket's index, 0 to 9. */
  index: number;
  /** The bucket's text, never empty or only whitespace. */
  content: string;
  /** When the text last changed (ISO 8601); null when it came from a snapshot without a time. */
  updatedAt: string | null;
}

function emptyBucket(): MemoryBucket {
  return { content: '', updatedAt: null };
}

/**
 * Ten numbered text buckets that a model (through the memory tools) and code share across states.
 * An index outside 0..9 is an `AgentError` with reason `bucket-out-of-range`.
 */
export class WorkingMemory {
  readonly #buckets: MemoryBucket[];

  /** Starts from stored buckets (copied; missing ones empty, those past index 9 ignored), or all empty. */
  constructor(buckets?: readonly MemoryBucket[]) {
    this.#buckets = Array.from({ length: WORKING_MEMORY_BUCKETS }, (_, i) => {
      const given = buckets?.[i];
      return given === undefined ? emptyBucket() : { content: given.content, updatedAt: given.updatedAt };
    });
  }

  /** Replaces the text of bucket `index`. */
  set(index: number, content: string): void {
    const i = checkIndex(index);
    this.#buckets[i] = { content: parseAgentInput(contentSchema(), content, 'bucket content'), updatedAt: new Date().toISOString() };
  }

  /** Adds `content` on a new line after the bucket's text (or sets it when the bucket is empty). */
  append(index: number, content: string): void {
    const i = checkIndex(index);
    const text = parseAgentInput(contentSchema(), content, 'bucket content');
    const current = this.#buckets[i]!.content;
    this.#buckets[i] = { content: current === '' ? text : `${current}\n${text}`, updatedAt: new Date().toISOString() };
  }

  /** The text of bucket `index` (`''` when empty). */
  get(index: number): string {
    return this.#buckets[checkIndex(index)]!.content;
  }

  /** Empties bucket `index`. */
  delete(index: number): void {
    this.#buckets[checkIndex(index)] = emptyBucket();
  }

  /** Empties every bucket. */
  clear(): void {
    for (let i = 0; i < WORKING_MEMORY_BUCKETS; i++) this.#buckets[i] = emptyBucket();
  }

  /** The non-empty buckets, in index order. A bucket of only whitespace counts as empty. */
  viewAll(): BucketView[] {
    const views: BucketView[] = [];
    this.#buckets.forEach((bucket, index) => {
      if (bucket.content.trim() !== '') views.push({ index, content: bucket.content, updatedAt: bucket.updatedAt });
    });
    return views;
  }

  /** Whether every bucket is empty. */
  isEmpty(): boolean {
    return this.viewAll().length === 0;
  }

  /** The ten buckets as plain data (copies). */
  toJSON(): MemoryBucket[] {
    return this.#buckets.map((b) => ({ ...b }));
  }
}

function checkIndex(index: number): number {
  return parseAgentInput(bucketIndexSchema, index, 'bucket index', 'bucket-out-of-range');
}
