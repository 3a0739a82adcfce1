import { z } from 'zod';

/** A plain text part of a multi-part message. */
export const textPartSchema = z.object({
  type: z.literal('text'),
  text: z.string(),
});

/** An image, either by URL or as base64 data with its media type. */
export const imagePartSchema = z
  .object({
    type: z.literal('image'),
    url: z.string().optional(),
    data: z.string().optional(),
    mediaType: z.string().optional(),
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
  type: z.literal('reasoning'),
  text: z.string(),
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
  id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()),
});

/** Instructions for the model; providers that take a separate system prompt get it there. */
export const systemMessageSchema = z.object({
  role: z.literal('system'),
  content: z.string(),
});

/**
 * What the user says: text, or text and image parts. `name` tells participants apart where the
 * provider supports it.
 */
export const userMessageSchema = z.object({
  role: z.literal('user'),
  content: z.union([z.string(), z.array(z.union([textPartSchema, imagePartSchema])).min(1)]),
  name: z.string().min(1).optional(),
});

/**
 * What the model said: its text, the tool calls it asked for, and its reasoning (kept so that
 * providers that need it back get it).
 */
export const assistantMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.string(),
  toolCalls: z.array(toolCallSchema).optional(),
  reasoning: z.array(reasoningPartSchema).optional(),
});

/** The result of one tool call, answered back to the model. */
export const toolMessageSchema = z.object({
  role: z.literal('tool'),
  toolCallId: z.string().min(1),
  toolName: z.string().min(1).optional(),
  content: z.string(),
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
