import { z } from 'zod';

/** A plain text part of a multi-part message. */
export const textPartSchema = z.object({
  /** Always `'text'`; tells the part apart from an image part. */
  type: z.literal('text'),
  /** The text; parts are joined without a separator (see `messageText`). */
  text: z.string(),
});

/** An image, either by URL or as base64 data with its media type. */
export const imagePartSchema = z
  .object({
    /** Always `'image'`; tells the part apart from a text part. */
    type: z.literal('image'),
    /** An http(s) or base64 `data:` URL (Ollama takes only the latter); set exactly one of `url`, `data`. */
    url: z.string().optional(),
    /** The image bytes, base64-encoded without a `data:` prefix; needs `mediaType`. */
    data: z.string().optional(),
    /** The MIME type of the image, e.g. `image/png`; required with `data`. */
    mediaType: z.string().optional(),
    /** Resolution hint for OpenAI; other providers ignore it. Unset leaves OpenAI's default (`auto`). */
    detail: z.enum(['auto', 'low', 'high']).optional(),
  })
  .refine((p) => (p.url === undefined) !== (p.data === undefined), {
    message: 'an image part needs exactly one of `url` or `data`',
  })
  .refine((p) => p.data === undefined || p.mediaType !== undefined, {
    message: 'an image given as `data` needs its `mediaType`',
  });

/**
 * Model reasoning ("thinking") kept on an assistant message. Providers that sign their
 * reasoning (Anthropic) need the signature sent back unchanged on the next turn.
 */
export const reasoningPartSchema = z.object({
  /** Always `'reasoning'`. */
  type: z.literal('reasoning'),
  /** The reasoning text (or the provider's summary of it); empty when only `redactedData` is kept. */
  text: z.string(),
  /** Opaque provider token to send back unchanged; adapters drop signatures that are not their own. */
  signature: z.string().optional(),
  /** Provider-encrypted reasoning that cannot be shown (Anthropic `redacted_thinking`). */
  redactedData: z.string().optional(),
});

/**
 * The prefix of a reasoning part's `signature` made by the OpenAI Responses adapter. The signature
 * is opaque to callers; each adapter sends back only signatures that are its own.
 */
export const OPENAI_RESPONSES_REASONING_PREFIX = 'openai-responses:';

/** One tool call the model asked for; `arguments` is the parsed JSON object. */
export const toolCallSchema = z.object({
  /** The call's id (Kit numbers calls `call_<n>` where the provider gives none); answers repeat it. */
  id: z.string().min(1),
  /** The name of the tool to run, as given in the request's `tools`. */
  name: z.string().min(1),
  /** The arguments the model gave, parsed from JSON into an object. */
  arguments: z.record(z.string(), z.unknown()),
});

/** Instructions for the model; providers that take a separate system prompt get it there. */
export const systemMessageSchema = z.object({
  /** Always `'system'`. */
  role: z.literal('system'),
  /** The instructions, as plain text. */
  content: z.string(),
});

/**
 * What the user says: text, or text and image parts. `name` tells participants apart where the
 * provider supports it.
 */
export const userMessageSchema = z.object({
  /** Always `'user'`. */
  role: z.literal('user'),
  /** Plain text, or at least one text or image part, in order. */
  content: z.union([z.string(), z.array(z.union([textPartSchema, imagePartSchema])).min(1)]),
  /** The speaker's name, non-empty; sent only to providers that support it, dropped by the others. */
  name: z.string().min(1).optional(),
});

/**
 * What the model said: its text, the tool calls it asked for, and its reasoning (kept so that
 * providers that need it back get it).
 */
export const assistantMessageSchema = z.object({
  /** Always `'assistant'`. */
  role: z.literal('assistant'),
  /** The reply text; may be empty when the model only called tools. */
  content: z.string(),
  /** The tool calls the model asked for, in order; undefined or empty when it called none. */
  toolCalls: z.array(toolCallSchema).optional(),
  /** The model's reasoning parts, kept to send back to providers that need them; undefined when none. */
  reasoning: z.array(reasoningPartSchema).optional(),
});

/** The result of one tool call, answered back to the model. */
export const toolMessageSchema = z.object({
  /** Always `'tool'`. */
  role: z.literal('tool'),
  /** The `id` of the tool call this answers. */
  toolCallId: z.string().min(1),
  /** The tool's name; when unset, adapters that need it (Ollama) take it from the matching call. */
  toolName: z.string().min(1).optional(),
  /** The tool's result as text (serialize structured results, e.g. as JSON). */
  content: z.string(),
  /** True when `content` describes a failure; sent to providers that mark errors (Anthropic). */
  isError: z.boolean().optional(),
});

/** Any message of a conversation, told apart by `role`. */
export const messageSchema = z.discriminatedUnion('role', [
  systemMessageSchema,
  userMessageSchema,
  assistantMessageSchema,
  toolMessageSchema,
]);

/** A plain text part of a multi-part message (see `textPartSchema`). */
export type TextPart = z.infer<typeof textPartSchema>;
/** An image part, by URL or as base64 data (see `imagePartSchema`). */
export type ImagePart = z.infer<typeof imagePartSchema>;
/** Model reasoning kept on an assistant message (see `reasoningPartSchema`). */
export type ReasoningPart = z.infer<typeof reasoningPartSchema>;
/** One tool call the model asked for, its arguments parsed (see `toolCallSchema`). */
export type ToolCall = z.infer<typeof toolCallSchema>;
/** A system message (see `systemMessageSchema`). */
export type SystemMessage = z.infer<typeof systemMessageSchema>;
/** A user message (see `userMessageSchema`). */
export type UserMessage = z.infer<typeof userMessageSchema>;
/** An assistant message (see `assistantMessageSchema`). */
export type AssistantMessage = z.infer<typeof assistantMessageSchema>;
/** A tool result (see `toolMessageSchema`). */
export type ToolMessage = z.infer<typeof toolMessageSchema>;
/** Any message of a conversation: system, user, assistant or tool (see `messageSchema`). */
export type Message = z.infer<typeof messageSchema>;

/** The text of a message, with image parts left out. */
export function messageText(message: Message): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  let text = '';
  for (const part of content) if (part.type === 'text') text += part.text;
  return text;
}
