import { z } from 'zod';
import type { CachedEntry } from '../middleware/cache-store.js';
import { reasoningPartSchema, toolCallSchema } from '../types/message.js';
import { completionResponseSchema, finishReasonSchema, usageSchema } from '../types/response.js';
import type { StreamPart } from '../types/stream-part.js';

/** The version of the stored format, written into every value so that a later format can tell. */
const FORMAT_VERSION = 1;

/** Consecutive text deltas as one string and the offset where each delta ends in it. */
interface TextRun {
  type: 'text-run';
  text: string;
  ends: number[];
}

const textRunSchema = z.object({
  type: z.literal('text-run'),
  text: z.string(),
  ends: z.array(z.number().int().nonnegative()).min(1),
});

const streamPartSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text-delta'), text: z.string() }),
  z.object({ type: z.literal('reasoning-delta'), text: z.string(), signature: reasoningPartSchema.shape.signature, redactedData: reasoningPartSchema.shape.redactedData }),
  z.object({ type: z.literal('tool-call-start'), id: z.string(), name: z.string() }),
  z.object({ type: z.literal('tool-call-delta'), id: z.string(), argumentsDelta: z.string() }),
  z.object({ type: z.literal('tool-call-end'), id: z.string(), name: z.string(), arguments: toolCallSchema.shape.arguments }),
  z.object({ type: z.literal('usage'), usage: usageSchema }),
  z.object({ type: z.literal('finish'), finishReason: finishReasonSchema, providerMetadata: z.record(z.string(), z.unknown()).optional() }),
  textRunSchema,
]);

const storedEntrySchema = z.discriminatedUnion('kind', [
  z.object({ v: z.literal(FORMAT_VERSION), kind: z.literal('response'), response: completionResponseSchema }),
  z.object({ v: z.literal(FORMAT_VERSION), kind: z.literal('stream'), parts: z.array(streamPartSchema) }),
]);

/** Why a stored value is not an entry; the store reports it as a corrupt entry. */
export class CachedEntryFormatError extends Error {}

/**
 * A cached entry as JSON. A stream's runs of text deltas are kept as one string and the offsets
 * where the deltas end: a 2,000-chunk reply is then a few objects to write, parse and check, not
 * 2,000. Values that JSON cannot hold are dropped or changed the way `JSON.stringify` does it (an
 * entry is plain data: see `CachedEntry`).
 */
export function serializeCachedEntry(entry: CachedEntry): string {
  if (entry.kind === 'response') return JSON.stringify({ v: FORMAT_VERSION, kind: 'response', response: entry.response });
  const parts: Array<StreamPart | TextRun> = [];
  let run: TextRun | undefined;
  let length = 0;
  for (const part of entry.parts) {
    if (part.type === 'text-delta') {
      if (run === undefined) {
        run = { type: 'text-run', text: '', ends: [] };
        parts.push(run);
        length = 0;
      }
      run.text += part.text;
      length += part.text.length;
      run.ends.push(length);
    } else {
      run = undefined;
      parts.push(part);
    }
  }
  return JSON.stringify({ v: FORMAT_VERSION, kind: 'stream', parts });
}

/** The entry a {@link serializeCachedEntry} value holds; throws {@link CachedEntryFormatError} for anything else. */
export function parseCachedEntry(json: string): CachedEntry {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new CachedEntryFormatError(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = storedEntrySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CachedEntryFormatError(`not a cached entry (${issue === undefined ? 'invalid' : `${issue.path.join('.') || '(root)'}: ${issue.message}`})`);
  }
  const stored = parsed.data;
  if (stored.kind === 'response') return { kind: 'response', response: stored.response };
  const parts: StreamPart[] = [];
  for (const part of stored.parts) {
    if (part.type !== 'text-run') {
      parts.push(part as StreamPart);
      continue;
    }
    let start = 0;
    for (const end of part.ends) {
      if (end < start || end > part.text.length) throw new CachedEntryFormatError('not a cached entry (a text run ends out of order)');
      parts.push({ type: 'text-delta', text: part.text.slice(start, end) });
      start = end;
    }
    if (start !== part.text.length) throw new CachedEntryFormatError('not a cached entry (a text run has text past its last end)');
  }
  return { kind: 'stream', parts };
}
