import { z } from 'zod';
import { promptTemplateSchema, templateModeSchema, type PromptTemplate } from '../template/prompt-template.js';

/** The kinds of entries a library holds: system prompts, user prompts (indexed), message sequences. */
export type PromptKind = 'system' | 'user' | 'messages';

/**
 * One message of a sequence: inline `template` text, or `prompt`, the name of a system or user
 * template in the same library (user prompts by `index`).
 */
export const messageTemplateSchema = z
  .strictObject({
    /** The message's role in the rendered sequence. */
    role: z.enum(['system', 'user', 'assistant']),
    /** Inline template text; exactly one of `template` and `prompt` is set. */
    template: z.string().optional(),
    /** The name of a library template to render: a system template for role `system`, else a user one. */
    prompt: z.string().min(1).optional(),
    /** With `prompt`: which variant of a user template (default 0). */
    index: z.number().int().min(0).optional(),
    /** With `template`: how the inline text is rendered (default `mixed`). */
    mode: templateModeSchema.optional(),
  })
  .refine((m) => (m.template === undefined) !== (m.prompt === undefined), {
    message: 'a message needs exactly one of `template` or `prompt`',
  });
/** One message of a sequence (see `messageTemplateSchema`). */
export type MessageTemplate = z.infer<typeof messageTemplateSchema>;

/**
 * A named sequence of messages rendered together, with defaults under the caller's parameters and
 * free-form metadata.
 */
export const messageSequenceSchema = z.strictObject({
  /** The messages, in order; at least one. */
  messages: z.array(messageTemplateSchema).min(1),
  /** Parameter values for every message, under the caller's params (and over each template's defaults). */
  defaults: z.record(z.string(), z.unknown()).optional(),
  /** Free-form data for the caller; never rendered. */
  metadata: z.record(z.string(), z.unknown()).optional(),
});
/** A named sequence of messages (see `messageSequenceSchema`). */
export type MessageSequence = z.infer<typeof messageSequenceSchema>;

/** A template record, or its text alone as shorthand. */
export const templateEntrySchema = z.preprocess((entry) => (typeof entry === 'string' ? { template: entry } : entry), promptTemplateSchema);

/**
 * Where prompt templates come from. Every method returns a copy: changing what it returns never
 * changes the library. A name the library does not hold gives `undefined`; `PromptBuilder`
 * turns that into `TemplateNotFoundError`.
 */
export interface PromptLibrary {
  /** The system template `name`, or undefined when the library has none. */
  getSystemPrompt(name: string): Promise<PromptTemplate | undefined>;
  /** User prompts are indexed: one name may hold several variants (index 0 by default). */
  getUserPrompt(name: string, index?: number): Promise<PromptTemplate | undefined>;
  /** The message sequence `name`, or undefined when the library has none. */
  getMessageSequence(name: string): Promise<MessageSequence | undefined>;
  /** Names of one kind, sorted. */
  listPrompts(kind: PromptKind): Promise<string[]>;
}

/** Looks up a template of a kind by name: the shape `extends` resolution needs. */
export async function getTemplate(library: PromptLibrary, kind: 'system' | 'user', name: string, index = 0): Promise<PromptTemplate | undefined> {
  return kind === 'system' ? library.getSystemPrompt(name) : library.getUserPrompt(name, index);
}
