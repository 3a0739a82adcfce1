import { z } from 'zod';
import { lazySchema } from '../lazy-schema.js';

/** A document to index in an adapter: `content` is what searches match and return. */
export interface ResourceDocument {
  /** A non-empty id, unique within the adapter; adding a document with the same id replaces it. */
  id: string;
  /** The text searches match and items return. */
  content: string;
  /** Free-form fields that `filters` match against and items carry. Default `{}`. */
  metadata?: Record<string, unknown> | undefined;
}

/** Checks documents handed to an adapter's `addDocuments`. */
export const resourceDocumentsSchema = lazySchema(() =>
  z.array(
    z.object({
      id: z.string().min(1, 'a document id is a non-empty string'),
      content: z.string(),
      metadata: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
);
