import {
  toChatCompletionsToolChoice,
  toChatCompletionsTools,
  type ChatCompletionsTool,
  type ChatCompletionsToolChoice,
} from '../chat-completions-format.js';
import type { PreparedRequest } from '../create-language-model.js';
import { toHuggingFaceMessages, type HuggingFaceChatMessage } from './huggingface-messages.js';

/** The provider name Kit reports, and the key of `providerOptions` passed through to the API. */
export const HUGGINGFACE_PROVIDER = 'huggingface';

/**
 * How a JSON schema is asked for. `'openai'` (the default) sends OpenAI's
 * `{ type: 'json_schema', json_schema: { name, schema } }`, which the SDK types, the Hugging Face
 * router and its providers, and current TGI accept. `'tgi'` sends TGI's own grammar,
 * `{ type: 'json', value: schema }`, for self-hosted TGI releases that predate the OpenAI form.
 */
export type HuggingFaceStructuredOutputFormat = 'openai' | 'tgi';

/** A chat-completion body, without `model` and `stream` (the SDK adds them). */
export interface HuggingFaceChatParams {
  /** The request's messages. */
  messages: HuggingFaceChatMessage[];
  /** The request's tools; left out when it has none. */
  tools?: ChatCompletionsTool[];
  /** The request's `toolChoice`; left out when unset. */
  tool_choice?: ChatCompletionsToolChoice;
  /** The JSON format in the {@link HuggingFaceStructuredOutputFormat} style; left out for text. */
  response_format?: Record<string, unknown>;
  /** The request's `temperature`. */
  temperature?: number;
  /** The request's `maxTokens`. */
  max_tokens?: number;
  /** The request's `topP`. */
  top_p?: number;
  /** The request's `stop` sequences. */
  stop?: string[];
  /** The request's `seed`. */
  seed?: number;
  [key: string]: unknown;
}

/** Argument keys the SDK takes out of the body to route and authenticate the call. */
const SDK_ROUTING_KEYS = new Set(['accessToken', 'endpointUrl', 'provider', 'model', 'urlTransform', 'stream']);

function responseFormat(request: PreparedRequest, style: HuggingFaceStructuredOutputFormat): Record<string, unknown> | undefined {
  const format = request.responseFormat;
  if (format?.type !== 'json') return undefined;
  const schema = request.responseSchema;
  if (style === 'tgi') {
    // TGI's grammar needs a schema; "any object" is its JSON mode.
    return { type: 'json', value: schema ?? { type: 'object' } };
  }
  if (schema === undefined) return { type: 'json_object' };
  return {
    type: 'json_schema',
    // Not strict: strict mode rejects optional properties on some providers; the core validates
    // the reply against the zod schema either way.
    json_schema: {
      name: format.name ?? 'response',
      schema,
      ...(format.description === undefined ? {} : { description: format.description }),
    },
  };
}

/** A Kit request as a chat-completion body; `providerOptions.huggingface` is merged in last. */
export function toHuggingFaceChatParams(
  request: PreparedRequest,
  style: HuggingFaceStructuredOutputFormat = 'openai',
): HuggingFaceChatParams {
  const params: HuggingFaceChatParams = { messages: toHuggingFaceMessages(request.messages) };
  if (request.toolSchemas.length > 0) params.tools = toChatCompletionsTools(request.toolSchemas);
  const choice = toChatCompletionsToolChoice(request.toolChoice);
  if (choice !== undefined) params.tool_choice = choice;
  const format = responseFormat(request, style);
  if (format !== undefined) params.response_format = format;
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.maxTokens !== undefined) params.max_tokens = request.maxTokens;
  if (request.topP !== undefined) params.top_p = request.topP;
  if (request.stop !== undefined) params.stop = request.stop;
  if (request.seed !== undefined) params.seed = request.seed;
  // Anything else the API takes (frequency_penalty, reasoning_effort, tool_prompt, ...) passes through.
  return { ...params, ...passThroughOptions(request.providerOptions) };
}

/**
 * `providerOptions.huggingface`, less the keys the SDK reads as routing and credentials (those
 * belong to the factory), to be merged into a request body.
 */
export function passThroughOptions(providerOptions: Record<string, Record<string, unknown>> | undefined): Record<string, unknown> {
  const extra = providerOptions?.[HUGGINGFACE_PROVIDER];
  if (extra === undefined) return {};
  return Object.fromEntries(Object.entries(extra).filter(([key]) => !SDK_ROUTING_KEYS.has(key)));
}
