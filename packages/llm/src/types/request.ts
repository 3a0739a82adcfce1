import { z } from 'zod';
import { messageSchema } from './message.js';
import { toolChoiceSchema, toolDefinitionSchema, zodSchemaSchema, type ToolChoice, type ToolDefinition } from './tool.js';
import type { Message } from './message.js';

/** Ask for plain text (the default), JSON of any shape, or JSON matching a zod schema. */
export const responseFormatSchema = z.union([
  z.object({ type: z.literal('text') }),
  z.object({
    type: z.literal('json'),
    schema: zodSchemaSchema.optional(),
    name: z
      .string()
      .regex(/^[a-zA-Z0-9_-]{1,64}$/)
      .optional(),
    description: z.string().optional(),
  }),
]);

/** Asks for JSON: of any shape, or matching `schema`, whose parsed value then comes back as `object`. */
export interface JsonResponseFormat<T = unknown> {
  type: 'json';
  schema?: z.ZodType<T> | undefined;
  name?: string | undefined;
  description?: string | undefined;
}
/** Plain text (the default) or JSON (see {@link JsonResponseFormat}). */
export type ResponseFormat = { type: 'text' } | JsonResponseFormat;

/** Caller-given labels carried with a request (never sent to a provider): ledger keys, log fields. */
export const requestMetadataSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
/** Labels carried with a request and never sent to a provider (see `requestMetadataSchema`). */
export type RequestMetadata = z.infer<typeof requestMetadataSchema>;

/**
 * The rules a {@link CompletionRequest} is validated against before any layer sees it: at least one
 * message, unique tool names, a `toolChoice` naming a tool that exists, and tool results that
 * answer earlier calls.
 */
export const completionRequestSchema = z
  .object({
    messages: z.array(messageSchema).min(1, 'a request needs at least one message'),
    tools: z.array(toolDefinitionSchema).optional(),
    toolChoice: toolChoiceSchema.optional(),
    responseFormat: responseFormatSchema.optional(),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().positive().optional(),
    topP: z.number().gt(0).max(1).optional(),
    stop: z.array(z.string().min(1)).max(16).optional(),
    seed: z.number().int().optional(),
    signal: z.instanceof(AbortSignal).optional(),
    /** Options passed through to one provider, keyed by provider name: `{ openai: { user: 'u1' } }`. */
    providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    metadata: requestMetadataSchema.optional(),
  })
  .superRefine((req, ctx) => {
    const names = new Set<string>();
    req.tools?.forEach((tool, i) => {
      if (names.has(tool.name)) {
        ctx.addIssue({ code: 'custom', path: ['tools', i, 'name'], message: `duplicate tool name "${tool.name}"` });
      }
      names.add(tool.name);
    });
    const choice = req.toolChoice;
    if (typeof choice === 'object' && !names.has(choice.name)) {
      ctx.addIssue({ code: 'custom', path: ['toolChoice', 'name'], message: `no tool named "${choice.name}"` });
    }
    if (choice === 'required' && names.size === 0) {
      ctx.addIssue({ code: 'custom', path: ['toolChoice'], message: '"required" needs at least one tool' });
    }
    // Every tool result must answer a call made earlier in the conversation.
    const callIds = new Set<string>();
    req.messages.forEach((m, i) => {
      if (m.role === 'assistant') for (const call of m.toolCalls ?? []) callIds.add(call.id);
      if (m.role === 'tool' && !callIds.has(m.toolCallId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['messages', i, 'toolCallId'],
          message: `tool result for unknown call id "${m.toolCallId}"`,
        });
      }
    });
  });

/** A request as callers write it. Tool and schema types stay generic for inference. */
export interface CompletionRequest {
  messages: Message[];
  tools?: ToolDefinition<any>[] | undefined;
  toolChoice?: ToolChoice | undefined;
  responseFormat?: ResponseFormat | undefined;
  temperature?: number | undefined;
  maxTokens?: number | undefined;
  topP?: number | undefined;
  stop?: string[] | undefined;
  seed?: number | undefined;
  signal?: AbortSignal | undefined;
  providerOptions?: Record<string, Record<string, unknown>> | undefined;
  metadata?: RequestMetadata | undefined;
}

/** The rules an {@link EmbeddingRequest} is validated against: at least one value to embed. */
export const embeddingRequestSchema = z.object({
  values: z.array(z.string()).min(1, 'nothing to embed'),
  dimensions: z.number().int().positive().optional(),
  signal: z.instanceof(AbortSignal).optional(),
  providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  metadata: requestMetadataSchema.optional(),
});
/** What `embed` takes: the texts to embed and, where the model supports it, the output `dimensions`. */
export type EmbeddingRequest = z.input<typeof embeddingRequestSchema>;
