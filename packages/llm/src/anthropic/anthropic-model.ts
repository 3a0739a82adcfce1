import type Anthropic from '@anthropic-ai/sdk';
import type { ClientOptions } from '@anthropic-ai/sdk';
import { createLanguageModel } from '../create-language-model.js';
import { ProviderError, abortedError } from '../errors/provider-error.js';
import type { LanguageModel, TokenCount, TokenCountInput } from '../language-model.js';
import { toJsonSchema } from '../types/json-schema.js';
import type { ProviderStreamPart } from '../types/stream-part.js';
import { mapAnthropicError } from './anthropic-errors.js';
import { toAnthropicPrompt } from './anthropic-messages.js';
import { anthropicSdk } from './anthropic-sdk.js';
import { ANTHROPIC_PROVIDER, toAnthropicParams } from './anthropic-request.js';
import { fromAnthropicMessage } from './anthropic-response.js';
import { fromAnthropicEvents } from './anthropic-stream.js';

/** The environment variable the API key is read from when `apiKey` is not given. */
export const ANTHROPIC_API_KEY_ENV = 'ANTHROPIC_API_KEY';

/** Options of {@link createAnthropicModel}. */
export interface AnthropicModelOptions {
  /** Default: the `ANTHROPIC_API_KEY` environment variable. */
  apiKey?: string | undefined;
  /** Without `/v1`: the SDK adds `/v1/messages`. Default: `ANTHROPIC_BASE_URL`, then `https://api.anthropic.com`. */
  baseURL?: string | undefined;
  /** A fetch to use instead of the global one (proxies, tests). */
  fetch?: typeof fetch | undefined;
  /** Extra headers on every request (an `anthropic-beta` flag, say). */
  headers?: Record<string, string> | undefined;
  /** `max_tokens` when a request gives no `maxTokens` (the API requires one). Default 4096. */
  defaultMaxTokens?: number | undefined;
  /**
   * Count tokens with the API's `count_tokens` endpoint (exact, one HTTP call per count) instead of
   * the local estimate. Default false.
   */
  countTokensWithApi?: boolean | undefined;
  /** Other SDK client options (`timeout`, `logLevel`, ...). Retries stay off: Kit's `retry` middleware retries. */
  clientOptions?: Omit<ClientOptions, 'apiKey' | 'baseURL' | 'fetch' | 'maxRetries'> | undefined;
  /** Use an existing client instead of making one (its retries should be off). */
  client?: Anthropic | undefined;
}

/** A client with the SDK's retries off; a missing key is an `auth` error naming the variable. */
export function createAnthropicClient(options: AnthropicModelOptions = {}): Anthropic {
  if (options.client !== undefined) return options.client;
  const apiKey = options.apiKey ?? process.env[ANTHROPIC_API_KEY_ENV];
  if (apiKey === undefined || apiKey === '') {
    throw new ProviderError({
      kind: 'auth',
      message: `${ANTHROPIC_PROVIDER}: no API key: pass \`apiKey\` or set the ${ANTHROPIC_API_KEY_ENV} environment variable`,
      provider: ANTHROPIC_PROVIDER,
    });
  }
  const clientOptions: ClientOptions = { ...options.clientOptions, apiKey, maxRetries: 0 };
  if (options.baseURL !== undefined) clientOptions.baseURL = options.baseURL;
  if (options.fetch !== undefined) clientOptions.fetch = options.fetch;
  if (options.headers !== undefined) clientOptions.defaultHeaders = { ...options.headers };
  return new anthropicSdk.Anthropic(clientOptions);
}

/**
 * A Claude model through the official `@anthropic-ai/sdk` Messages API.
 *
 * - System messages become the top-level `system`; tool results of one turn one user turn of
 *   `tool_result` blocks (`is_error` kept); images are sent as base64 or URL image blocks.
 * - Extended thinking: pass `providerOptions: { anthropic: { thinking: { type: 'enabled',
 *   budget_tokens: 2048 } } }`. Thinking comes back as `reasoning` parts (with `signature`, or
 *   `redactedData` for redacted thinking); keep them on the assistant message you send back (see
 *   `responseMessage`) and they are returned first in that turn, signature unchanged, as tool use
 *   with thinking requires. Without `maxTokens`, `max_tokens` is the budget plus `defaultMaxTokens`.
 *   Anything else in `providerOptions.anthropic` (`top_k`, `metadata`, `service_tier`, ...) is
 *   passed through to the request body.
 * - Structured output (`capabilities.structuredOutput: 'tool'`): a JSON `responseFormat` becomes a
 *   forced call of a `json_response` tool (or `responseFormat.name`) whose input schema is the
 *   response schema; its input is returned as the JSON `text`, validated by the core, with no tool
 *   call. It cannot be combined with `tools` (an `invalid-request` error). With thinking enabled the
 *   API refuses a forced tool, so the tool is offered with `tool_choice: auto`.
 * - `temperature`, `topP` and `stop` are sent as `temperature`, `top_p`, `stop_sequences`; `seed`
 *   has no counterpart and is ignored.
 * - Usage: cache reads and writes are parts of `inputTokens` (`cachedInputTokens`,
 *   `cacheWriteInputTokens`); thinking tokens are `reasoningTokens` when the API reports them.
 * - Token counts are the core's estimate (`exact: false`) unless `countTokensWithApi` is set.
 * - No embeddings: Anthropic has no embedding API.
 *
 * The SDK's retries are off (Kit's `retry` middleware retries, including 529 overloaded). Throws
 * an `auth` {@link ProviderError} naming `ANTHROPIC_API_KEY` when no key is given or set.
 */
export function createAnthropicModel(modelId: string, options: AnthropicModelOptions = {}): LanguageModel {
  // Made now, so that a missing key fails here, naming the variable, rather than on the first call.
  const client = createAnthropicClient(options);
  const requestOptions = { defaultMaxTokens: options.defaultMaxTokens };

  async function countTokensWithApi(input: TokenCountInput): Promise<TokenCount> {
    try {
      const messages = typeof input === 'string' ? [{ role: 'user' as const, content: input }] : input.messages;
      const prompt = toAnthropicPrompt(messages);
      const params: Anthropic.MessageCountTokensParams = { model: modelId, messages: prompt.messages };
      if (prompt.system !== undefined) params.system = prompt.system;
      if (typeof input !== 'string' && input.tools !== undefined && input.tools.length > 0) {
        params.tools = input.tools.map((tool) => {
          const out: Anthropic.Tool = { name: tool.name, input_schema: toJsonSchema(tool.parameters) as Anthropic.Tool.InputSchema };
          if (tool.description !== undefined) out.description = tool.description;
          return out;
        });
      }
      const result = await client.messages.countTokens(params);
      const count: TokenCount = { tokens: result.input_tokens, exact: true, encoding: 'anthropic' };
      if (typeof input === 'string') count.note = 'counted by the API as one user message, its framing included';
      return count;
    } catch (error) {
      throw mapAnthropicError(error);
    }
  }

  return createLanguageModel({
    provider: ANTHROPIC_PROVIDER,
    modelId,
    capabilities: { streaming: true, tools: true, structuredOutput: 'tool', embeddings: false, images: true, reasoning: true },
    mapError: mapAnthropicError,
    async doComplete(request) {
      const { params, structured } = toAnthropicParams(modelId, request, requestOptions);
      const message = await client.messages.create(params, { signal: request.signal ?? null });
      return fromAnthropicMessage(message, structured);
    },
    async *doStream(request): AsyncGenerator<ProviderStreamPart> {
      const { params, structured } = toAnthropicParams(modelId, request, requestOptions);
      const stream = await client.messages.create({ ...params, stream: true }, { signal: request.signal ?? null });
      let done = false;
      try {
        yield* fromAnthropicEvents(stream, structured);
        done = true;
      } finally {
        // A consumer that stopped early (or an error) closes the HTTP response.
        if (!done) stream.controller.abort();
      }
      // The SDK ends an aborted stream quietly; say why it ended.
      if (request.signal?.aborted) throw abortedError(ANTHROPIC_PROVIDER, request.signal.reason);
    },
    ...(options.countTokensWithApi ? { doCountTokens: countTokensWithApi } : {}),
  });
}
