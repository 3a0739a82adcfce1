import type { AbortableAsyncIterator, ChatRequest, ChatResponse, EmbedRequest, Options } from 'ollama';
import { createLanguageModel, type PreparedRequest, type ProviderCompletion } from '../create-language-model.js';
import type { LanguageModel, ModelCapabilities } from '../language-model.js';
import type { ReasoningPart } from '../types/message.js';
import type { EmbeddingRequest } from '../types/request.js';
import type { ProviderStreamPart } from '../types/stream-part.js';
import { OllamaCall, type OllamaConnection } from './ollama-call.js';
import { PROVIDER } from './ollama-errors.js';
import { toOllamaMessages, toOllamaTools } from './ollama-messages.js';
import { argumentsText, finishReasonFrom, metadataFrom, toolCallsFrom, usageFrom } from './ollama-reply.js';

/** The server the SDK talks to when neither `host` nor `OLLAMA_HOST` is set. */
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

/** Options of {@link createOllamaModel}. */
export interface OllamaModelOptions {
  /** The Ollama server. Default: the `OLLAMA_HOST` environment variable, else `http://127.0.0.1:11434`. */
  host?: string | undefined;
  /**
   * A bearer token, for ollama.com or an authenticating proxy in front of a server (a local
   * Ollama needs none). Sent as `Authorization: Bearer …`; never put in error messages.
   */
  apiKey?: string | undefined;
  /** Extra headers on every request (a proxy's auth header, say). */
  headers?: Record<string, string> | undefined;
  /** A fetch implementation to use instead of the global one. */
  fetch?: typeof fetch | undefined;
  /** Overrides of the default capabilities (say `images: false` for a text-only model). */
  capabilities?: Partial<ModelCapabilities> | undefined;
  /** How many values one `/api/embed` call takes. Default 512. */
  maxEmbeddingsPerCall?: number | undefined;
}

/**
 * Per-request options under `providerOptions.ollama`. `think` turns on a thinking model's
 * reasoning (returned as reasoning parts); `options` are Ollama model options such as `num_ctx`
 * or `top_k`, merged under the ones Kit sets from the request.
 */
export interface OllamaProviderOptions {
  /** Turns a thinking model's reasoning on or off, or sets its level (models that take one). */
  think?: boolean | 'high' | 'medium' | 'low';
  /** How long Ollama keeps the model loaded after the call: a duration like `'10m'`, or seconds. */
  keep_alive?: string | number;
  /** Ollama model options (`num_ctx`, `top_k`, ...); the request's own settings win over these. */
  options?: Partial<Options>;
  /** Embeddings only: truncate inputs longer than the context window (Ollama's default) or fail. */
  truncate?: boolean;
}

function providerOptions(request: { providerOptions?: Record<string, Record<string, unknown>> | undefined }): OllamaProviderOptions {
  return (request.providerOptions?.[PROVIDER] ?? {}) as OllamaProviderOptions;
}

/** The chat request body, without `stream`. */
function chatRequest(modelId: string, request: PreparedRequest): ChatRequest {
  const extra = providerOptions(request);
  const options: Partial<Options> = { ...extra.options };
  if (request.temperature !== undefined) options.temperature = request.temperature;
  if (request.maxTokens !== undefined) options.num_predict = request.maxTokens;
  if (request.topP !== undefined) options.top_p = request.topP;
  if (request.stop !== undefined) options.stop = request.stop;
  if (request.seed !== undefined) options.seed = request.seed;
  const body: ChatRequest = { model: modelId, messages: toOllamaMessages(request.messages) };
  const tools = toOllamaTools(request);
  if (tools !== undefined) body.tools = tools;
  // Ollama constrains decoding to a JSON schema natively, or to any JSON with 'json'.
  if (request.responseFormat?.type === 'json') body.format = request.responseSchema ?? 'json';
  if (Object.keys(options).length > 0) body.options = options;
  if (extra.think !== undefined) body.think = extra.think;
  if (extra.keep_alive !== undefined) body.keep_alive = extra.keep_alive;
  return body;
}

function completionFrom(reply: ChatResponse): ProviderCompletion {
  const toolCalls = toolCallsFrom(reply.message?.tool_calls);
  const thinking = reply.message?.thinking;
  const reasoning: ReasoningPart[] = thinking ? [{ type: 'reasoning', text: thinking }] : [];
  return {
    text: reply.message?.content ?? '',
    toolCalls,
    reasoning,
    finishReason: finishReasonFrom(reply.done_reason, toolCalls.length > 0),
    usage: usageFrom(reply),
    model: reply.model,
    providerMetadata: metadataFrom(reply),
  };
}

function connectionFrom(options: OllamaModelOptions): OllamaConnection {
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey !== undefined) headers['Authorization'] = `Bearer ${options.apiKey}`;
  return {
    host: options.host ?? process.env['OLLAMA_HOST'] ?? DEFAULT_OLLAMA_HOST,
    headers,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  };
}

/**
 * A {@link LanguageModel} served by Ollama, through the official `ollama` SDK: chat (streamed as
 * NDJSON or whole), tools, native JSON-schema output, thinking, and embeddings. Ollama is local,
 * so no key is needed and its calls cost nothing in the cost ledger. The SDK never retries;
 * Kit's `retry` middleware does.
 *
 * @example
 * const model = createOllamaModel('llama3.2', { host: 'http://127.0.0.1:11434' });
 * const { text } = await model.complete({ messages: [{ role: 'user', content: 'Hi' }] });
 */
export function createOllamaModel(modelId: string, options: OllamaModelOptions = {}): LanguageModel {
  const connection = connectionFrom(options);

  return createLanguageModel({
    provider: PROVIDER,
    modelId,
    capabilities: { structuredOutput: 'native', embeddings: true, images: true, reasoning: true, ...options.capabilities },
    maxEmbeddingsPerCall: options.maxEmbeddingsPerCall ?? 512,

    async doComplete(request) {
      const call = new OllamaCall(connection, request.signal, false);
      try {
        return completionFrom(await call.client.chat({ ...chatRequest(modelId, request), stream: false }));
      } catch (error) {
        throw call.toError(error);
      }
    },

    async *doStream(request): AsyncGenerator<ProviderStreamPart> {
      const call = new OllamaCall(connection, request.signal, true);
      let stream: AbortableAsyncIterator<ChatResponse> | undefined;
      let complete = false;
      let nextCall = 0;
      try {
        stream = await call.client.chat({ ...chatRequest(modelId, request), stream: true });
        for await (const chunk of stream) {
          const message = chunk.message;
          if (message?.thinking) yield { type: 'reasoning-delta', text: message.thinking };
          if (message?.content) yield { type: 'text-delta', text: message.content };
          // Ollama sends each tool call whole, arguments parsed: one delta carries all of them.
          for (const toolCall of toolCallsFrom(message?.tool_calls, nextCall)) {
            nextCall++;
            yield { type: 'tool-call-start', id: toolCall.id, name: toolCall.name };
            yield { type: 'tool-call-delta', id: toolCall.id, argumentsDelta: argumentsText(toolCall) };
            yield { type: 'tool-call-end', id: toolCall.id };
          }
          if (chunk.done) {
            complete = true;
            yield { type: 'usage', usage: usageFrom(chunk) };
            yield { type: 'finish', finishReason: finishReasonFrom(chunk.done_reason, nextCall > 0), providerMetadata: metadataFrom(chunk) };
          }
        }
      } catch (error) {
        throw call.toError(error);
      } finally {
        // A consumer that stopped early, or a failure: close the HTTP request of this call only.
        if (!complete) stream?.abort();
      }
    },

    async doEmbed(values: string[], request: EmbeddingRequest) {
      const call = new OllamaCall(connection, request.signal, false);
      const extra = providerOptions(request);
      const body: EmbedRequest = { model: modelId, input: values };
      if (request.dimensions !== undefined) body.dimensions = request.dimensions;
      if (extra.truncate !== undefined) body.truncate = extra.truncate;
      if (extra.keep_alive !== undefined) body.keep_alive = extra.keep_alive;
      if (extra.options !== undefined) body.options = extra.options;
      try {
        const reply = await call.client.embed(body);
        return {
          embeddings: reply.embeddings,
          usage: reply.prompt_eval_count === undefined ? undefined : { inputTokens: reply.prompt_eval_count },
          model: reply.model,
        };
      } catch (error) {
        throw call.toError(error);
      }
    },
  });
}
