import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { mapChatCompletionsFinishReason, toChatCompletionsToolChoice, toChatCompletionsTools } from '../chat-completions-format.js';
import { createLanguageModel, type PreparedRequest, type ProviderCompletion } from '../create-language-model.js';
import { classifyError } from '../errors/classify-error.js';
import { KitError } from '../errors/kit-error.js';
import { ProviderError } from '../errors/provider-error.js';
import type { LanguageModel } from '../language-model.js';
import type { FinishReason, Usage } from '../types/response.js';
import { PartStream } from '../stream/part-stream.js';
import type { StreamMapper } from '../stream/stream-tap.js';
import type { ProviderStreamPart } from '../types/stream-part.js';
import { toOpenAIMessages } from './openai-messages.js';
import { openaiSdk } from './openai-sdk.js';
import { openAIStreamParts } from './openai-sse-stream.js';

/** The `provider` name of OpenAI models, and their key in `providerOptions` and `providerMetadata`. */
export const OPENAI_PROVIDER = 'openai';

/**
 * Options of {@link createOpenAIModel} and {@link createOpenAIClient}: credentials, endpoint and
 * transport.
 */
export interface OpenAIModelOptions {
  /** Default: `OPENAI_API_KEY`. */
  apiKey?: string | undefined;
  /** Default: `OPENAI_BASE_URL`, then the SDK's `https://api.openai.com/v1`. */
  baseURL?: string | undefined;
  /** The OpenAI organization to bill (`OpenAI-Organization` header). Default: the key's own. */
  organization?: string | undefined;
  /** The OpenAI project to bill (`OpenAI-Project` header). Default: the key's own. */
  project?: string | undefined;
  /** A fetch to use instead of the global one (proxies, tests). */
  fetch?: typeof fetch | undefined;
  /** Extra headers on every request. */
  headers?: Record<string, string> | undefined;
  /** Use an existing client instead of making one (its retries should be off: Kit's `retry` retries). */
  client?: OpenAI | undefined;
}

/** The Chat Completions finish reason as Kit's. */
export const mapOpenAIFinishReason: (reason: string | null | undefined) => FinishReason = mapChatCompletionsFinishReason;

/** Chat Completions usage as Kit's: cached prompt tokens are part of the input, reasoning tokens part of the output. */
export function mapOpenAIUsage(usage: CompletionUsage | null | undefined): Usage {
  const out: Usage = {
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    totalTokens: usage?.total_tokens ?? (usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0),
  };
  const cached = usage?.prompt_tokens_details?.cached_tokens;
  if (cached !== undefined && cached !== null) out.cachedInputTokens = cached;
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens;
  if (reasoning !== undefined && reasoning !== null) out.reasoningTokens = reasoning;
  return out;
}

/** The request body, without `stream`. */
export function toOpenAIChatParams(modelId: string, request: PreparedRequest): ChatCompletionCreateParamsNonStreaming {
  const params: ChatCompletionCreateParamsNonStreaming = { model: modelId, messages: toOpenAIMessages(request.messages) };
  if (request.toolSchemas.length > 0) params.tools = toChatCompletionsTools(request.toolSchemas);
  const choice = toChatCompletionsToolChoice(request.toolChoice);
  if (choice !== undefined) params.tool_choice = choice;
  const format = request.responseFormat;
  if (format?.type === 'json') {
    params.response_format =
      request.responseSchema === undefined
        ? { type: 'json_object' }
        : {
            type: 'json_schema',
            // Not strict: strict mode rejects optional properties, which zod schemas often have.
            // The core validates the reply against the zod schema either way.
            json_schema: {
              name: format.name ?? 'response',
              schema: request.responseSchema as Record<string, unknown>,
              ...(format.description === undefined ? {} : { description: format.description }),
            },
          };
  }
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.maxTokens !== undefined) params.max_completion_tokens = request.maxTokens;
  if (request.topP !== undefined) params.top_p = request.topP;
  if (request.stop !== undefined) params.stop = request.stop;
  if (request.seed !== undefined) params.seed = request.seed;
  // Anything else the API takes (user, service_tier, reasoning_effort, ...) passes through.
  const extra = request.providerOptions?.[OPENAI_PROVIDER];
  return extra === undefined ? params : ({ ...params, ...extra } as ChatCompletionCreateParamsNonStreaming);
}

/** A completed Chat Completion as what the core expects. */
export function fromOpenAIChatCompletion(completion: ChatCompletion): ProviderCompletion {
  const choice = completion.choices[0];
  const message = choice?.message;
  const toolCalls = (message?.tool_calls ?? []).flatMap((call) =>
    call.type === 'function' ? [{ id: call.id, name: call.function.name, rawArguments: call.function.arguments }] : [],
  );
  const usage = mapOpenAIUsage(completion.usage);
  const out: ProviderCompletion = {
    text: message?.content ?? '',
    toolCalls,
    finishReason: mapOpenAIFinishReason(choice?.finish_reason),
    usage,
    model: completion.model,
  };
  const metadata: Record<string, unknown> = { id: completion.id };
  if (completion.system_fingerprint) metadata.systemFingerprint = completion.system_fingerprint;
  if (message?.refusal) metadata.refusal = message.refusal;
  out.providerMetadata = { openai: metadata };
  return out;
}

const NO_PARTS: readonly ProviderStreamPart[] = Object.freeze([]);

/**
 * Chat Completion chunks as Kit stream parts, one chunk at a time. Tool calls arrive by `index`,
 * their id and name on the first fragment only; the core closes open calls at `finish`. With
 * `include_usage`, the usage comes in a last chunk with no choices, after the one carrying
 * `finish_reason`, so `finish` is held back until the stream ends. A chunk of plain text (nearly
 * all of them) becomes one `text-delta` and nothing else is allocated for it.
 */
export function openAIChunkMapper(): StreamMapper<ChatCompletionChunk, ProviderStreamPart> {
  const idsByIndex = new Map<number, string>();
  let finishReason: FinishReason | undefined;
  let usage: Usage | undefined;
  let model: string | undefined;
  return {
    onPart(chunk) {
      if (model === undefined) model = chunk.model;
      if (chunk.usage) usage = mapOpenAIUsage(chunk.usage);
      const choice = chunk.choices[0];
      if (choice === undefined) return NO_PARTS;
      if (choice.finish_reason) finishReason = mapOpenAIFinishReason(choice.finish_reason);
      const delta = choice.delta;
      const content = delta?.content;
      const calls = delta?.tool_calls;
      if (calls === undefined || calls === null || calls.length === 0) {
        return content ? { type: 'text-delta', text: content } : NO_PARTS;
      }
      const parts: ProviderStreamPart[] = content ? [{ type: 'text-delta', text: content }] : [];
      for (const call of calls) {
        let id = idsByIndex.get(call.index);
        if (id === undefined) {
          id = call.id ?? `call_${call.index}`;
          idsByIndex.set(call.index, id);
          parts.push({ type: 'tool-call-start', id, name: call.function?.name ?? '' });
        }
        if (call.function?.arguments) parts.push({ type: 'tool-call-delta', id, argumentsDelta: call.function.arguments });
      }
      return parts;
    },
    onEnd() {
      // A stream that stopped without a finish reason is truncated: no finish, so the core reports it.
      if (finishReason === undefined) return;
      const finish: ProviderStreamPart = { type: 'finish', finishReason, ...(model === undefined ? {} : { providerMetadata: { openai: { model } } }) };
      return usage === undefined ? [finish] : [{ type: 'usage', usage }, finish];
    },
  };
}

/** The SDK's errors as Kit's: HTTP failures by status and body, connection failures as `network`. */
export function mapOpenAIError(error: unknown, signal?: AbortSignal): Error {
  if (error instanceof KitError) return error;
  if (error instanceof openaiSdk.APIConnectionTimeoutError) {
    return new ProviderError({ kind: 'timeout', message: `${OPENAI_PROVIDER}: ${error.message}`, provider: OPENAI_PROVIDER, cause: error });
  }
  if (error instanceof openaiSdk.APIUserAbortError || signal?.aborted) return classifyError(error, OPENAI_PROVIDER, signal);
  if (error instanceof openaiSdk.APIConnectionError) {
    return new ProviderError({ kind: 'network', message: `${OPENAI_PROVIDER}: ${error.message}`, provider: OPENAI_PROVIDER, cause: error });
  }
  if (error instanceof openaiSdk.APIError && error.status === undefined) {
    // An `error` event inside a stream: the body names the failure, there is no status.
    return new ProviderError({ kind: 'server', message: `${OPENAI_PROVIDER}: ${error.message}`, provider: OPENAI_PROVIDER, cause: error });
  }
  if (error instanceof SyntaxError) {
    return new ProviderError({
      kind: 'server',
      message: `${OPENAI_PROVIDER}: the stream held a line that is not JSON: ${error.message}`,
      provider: OPENAI_PROVIDER,
      cause: error,
    });
  }
  return classifyError(error, OPENAI_PROVIDER, signal);
}

/** The API key from the options or `OPENAI_API_KEY`; a clear `auth` error naming the variable otherwise. */
function apiKeyFrom(options: OpenAIModelOptions): string {
  const key = options.apiKey ?? process.env.OPENAI_API_KEY;
  if (key === undefined || key === '') {
    throw new ProviderError({
      kind: 'auth',
      message: 'openai: no API key: set the OPENAI_API_KEY environment variable or pass `apiKey`',
      provider: OPENAI_PROVIDER,
    });
  }
  return key;
}

/** An OpenAI SDK client with its own retries off (Kit's `retry` middleware retries). */
export function createOpenAIClient(options: OpenAIModelOptions = {}): OpenAI {
  if (options.client !== undefined) return options.client;
  return new openaiSdk.OpenAI({
    apiKey: apiKeyFrom(options),
    baseURL: options.baseURL ?? process.env.OPENAI_BASE_URL ?? undefined,
    organization: options.organization ?? null,
    project: options.project ?? null,
    maxRetries: 0,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.headers === undefined ? {} : { defaultHeaders: options.headers }),
  });
}

/** Whether an OpenAI model id names a reasoning model (o-series, gpt-5), with or without a prefix. */
export function isOpenAIReasoningModel(modelId: string): boolean {
  return /^(o\d|gpt-5)/.test(modelId.replace(/^.*\//, ''));
}

/**
 * An OpenAI model through the Chat Completions API: complete, stream (ending with usage:
 * `stream_options.include_usage`), tools, structured output by `response_format` JSON Schema,
 * embeddings, and exact token counts with tiktoken.
 *
 * ```ts
 * const model = createOpenAIModel('gpt-4o-mini'); // OPENAI_API_KEY from the environment
 * const reply = await model.complete({ messages: [{ role: 'user', content: 'Hi' }] });
 * ```
 */
export function createOpenAIModel(modelId: string, options: OpenAIModelOptions = {}): LanguageModel {
  const client = createOpenAIClient(options);
  return createLanguageModel({
    provider: OPENAI_PROVIDER,
    modelId,
    capabilities: {
      structuredOutput: 'native',
      embeddings: true,
      images: true,
      reasoning: isOpenAIReasoningModel(modelId),
    },
    mapError: mapOpenAIError,
    // The SDK binds its fetch, body included, to the signal: an abort ends a body read at once.
    streamHonorsSignal: true,
    completeHonorsSignal: true,
    async doComplete(request) {
      const completion = await client.chat.completions.create(toOpenAIChatParams(modelId, request), { signal: request.signal });
      return fromOpenAIChatCompletion(completion);
    },
    doStream(request) {
      return PartStream.defer(async () => {
        // The SDK makes the request (auth, headers, base URL) and throws its APIError on a non-2xx
        // status before it resolves; the body, though, is read here, with Kit's SSE decoder,
        // rather than through the SDK's per-event async layers (about 14 µs a chunk).
        const response = await client.chat.completions
          .create({ ...toOpenAIChatParams(modelId, request), stream: true, stream_options: { include_usage: true } }, { signal: request.signal })
          .asResponse();
        // A consumer that stops early makes the stream return its source, which cancels the body
        // and so closes the HTTP request; a failure cancels it too. After a normal end there is
        // nothing to close. An abort of the signal aborts the SDK's fetch, body included.
        return openAIStreamParts(response, request.signal, openAIChunkMapper(), { failOnErrorEvents: true });
      });
    },
    maxEmbeddingsPerCall: 2048,
    async doEmbed(values, request) {
      const result = await client.embeddings.create(
        { model: modelId, input: values, encoding_format: 'float', ...(request.providerOptions?.[OPENAI_PROVIDER] ?? {}) },
        { signal: request.signal },
      );
      const embeddings = [...result.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      return { embeddings, usage: { inputTokens: result.usage?.prompt_tokens ?? 0 }, model: result.model };
    },
  });
}
