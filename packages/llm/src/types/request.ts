import { z } from 'zod';
import { messageSchema } from './message.js';
import { toolChoiceSchema, toolDefinitionSchema, zodSchemaSchema, type ToolChoice, type ToolDefinition } from './tool.js';
import type { Message } from './message.js';

/** Ask for plain text (the default), JSON of any shape, or JSON matching a zod schema. */
export const responseFormatSchema = z.union([
  z.object({
    /** Plain text, the default. */
    type: z.literal('text'),
  }),
  z.object({
    /** JSON output (see {@link JsonResponseFormat}). */
    type: z.literal('json'),
    /** A zod 4 schema the reply must match; unset accepts JSON of any shape. */
    schema: zodSchemaSchema.optional(),
    /** 1-64 of a-z, A-Z, 0-9, `_` and `-`. */
    name: z
      .string()
      .regex(/^[a-zA-Z0-9_-]{1,64}$/)
      .optional(),
    /** What the JSON is for, sent to the provider with the schema. */
    description: z.string().optional(),
  }),
]);

/** Asks for JSON: of any shape, or matching `schema`, whose parsed value then comes back as `object`. */
export interface JsonResponseFormat<T = unknown> {
  /** Always `'json'`. */
  type: 'json';
  /** The zod 4 schema the reply is validated against; unset accepts JSON of any shape. */
  schema?: z.ZodType<T> | undefined;
  /**
   * The schema's name as the provider sees it (Anthropic: the answer tool's name, default
   * `json_response`); 1-64 of a-z, A-Z, 0-9, `_` and `-`.
   */
  name?: string | undefined;
  /** What the JSON is for; sent with the schema to guide the model. */
  description?: string | undefined;
}
/** Plain text (the default) or JSON (see {@link JsonResponseFormat}). */
export type ResponseFormat =
  | {
      /** Plain text, the default. */
      type: 'text';
    }
  | JsonResponseFormat;

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
    /** At least one message (see `CompletionRequest.messages`). */
    messages: z.array(messageSchema).min(1, 'a request needs at least one message'),
    /** Tools with unique names (see `CompletionRequest.tools`). */
    tools: z.array(toolDefinitionSchema).optional(),
    /** A named tool must be in `tools`; `required` needs at least one tool. */
    toolChoice: toolChoiceSchema.optional(),
    /** Text or JSON (see `CompletionRequest.responseFormat`). */
    responseFormat: responseFormatSchema.optional(),
    /** 0 to 2. */
    temperature: z.number().min(0).max(2).optional(),
    /** A positive integer. */
    maxTokens: z.number().int().positive().optional(),
    /** Greater than 0, at most 1. */
    topP: z.number().gt(0).max(1).optional(),
    /** At most 16 non-empty strings. */
    stop: z.array(z.string().min(1)).max(16).optional(),
    /** An integer. */
    seed: z.number().int().optional(),
    /** Aborts the call (see `CompletionRequest.signal`). */
    signal: z.instanceof(AbortSignal).optional(),
    /** Options passed through to one provider, keyed by provider name: `{ openai: { user: 'u1' } }`. */
    providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    /** String, number or boolean labels, never sent to a provider. */
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
  /** The conversation so far, oldest first; at least one. Tool results must answer earlier calls. */
  messages: Message[];
  /** Tools the model may call, names unique; their calls come back validated against `parameters`. */
  tools?: ToolDefinition<any>[] | undefined;
  /** Whether and which tool the model must call; unset leaves it to the provider (usually `auto`). */
  toolChoice?: ToolChoice | undefined;
  /** Text (the default) or JSON; with a schema the parsed value comes back as the response's `object`. */
  responseFormat?: ResponseFormat | undefined;
  /** Sampling temperature, 0 to 2; unset uses the provider's default. */
  temperature?: number | undefined;
  /**
   * The most tokens the reply may have, a positive integer. Unset uses the provider's default;
   * Anthropic, which requires one, uses the model's `defaultMaxTokens` (4096) plus any thinking budget.
   */
  maxTokens?: number | undefined;
  /** Nucleus sampling, greater than 0 and at most 1; unset uses the provider's default. */
  topP?: number | undefined;
  /** Up to 16 non-empty strings that end the reply; the OpenAI Responses API rejects them. */
  stop?: string[] | undefined;
  /**
   * An integer seed for more repeatable sampling where supported; Anthropic ignores it and the
   * OpenAI Responses API rejects it.
   */
  seed?: number | undefined;
  /** Aborts the call or stream when it fires; it then fails with a `ProviderError` of kind `aborted`. */
  signal?: AbortSignal | undefined;
  /** Options passed through to one provider, keyed by provider name: `{ openai: { user: 'u1' } }`. */
  providerOptions?: Record<string, Record<string, unknown>> | undefined;
  /** Caller labels (ledger keys, log fields), never sent to a provider. */
  metadata?: RequestMetadata | undefined;
}

/** The rules an {@link EmbeddingRequest} is validated against: at least one value to embed. */
export const embeddingRequestSchema = z.object({
  /** The texts to embed, at least one; larger lists are split into batches the model takes. */
  values: z.array(z.string()).min(1, 'nothing to embed'),
  /** The vector length to ask for, a positive integer; sent only to providers that take it. */
  dimensions: z.number().int().positive().optional(),
  /** Aborts the call when it fires. */
  signal: z.instanceof(AbortSignal).optional(),
  /** Options passed through to one provider, keyed by provider name. */
  providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  /** Caller labels (ledger keys, log fields), never sent to a provider. */
  metadata: requestMetadataSchema.optional(),
});
/** What `embed` takes: the texts to embed and, where the model supports it, the output `dimensions`. */
export type EmbeddingRequest = z.input<typeof embeddingRequestSchema>;
