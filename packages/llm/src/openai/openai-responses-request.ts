import type { FunctionTool, ResponseCreateParamsNonStreaming, ResponseTextConfig, ToolChoiceFunction, ToolChoiceOptions } from 'openai/resources/responses/responses';
import type { PreparedRequest } from '../create-language-model.js';
import { invalidRequestError } from '../errors/provider-error.js';
import type { ToolChoice } from '../types/tool.js';
import { OPENAI_PROVIDER } from './openai-chat-model.js';
import { toOpenAIResponsesInput } from './openai-responses-input.js';

/**
 * The request's tools as Responses function tools. Not strict: strict mode rejects optional
 * properties, which zod schemas often have (and the Responses API makes functions strict unless
 * told otherwise). The core validates every call's arguments against the zod schema either way.
 */
export function toOpenAIResponsesTools(toolSchemas: PreparedRequest['toolSchemas']): FunctionTool[] {
  return toolSchemas.map((tool) => ({
    type: 'function',
    name: tool.name,
    ...(tool.description === undefined ? {} : { description: tool.description }),
    parameters: tool.parameters as Record<string, unknown>,
    strict: false,
  }));
}

/** Kit's tool choice as `tool_choice`; undefined when the request names none. */
export function toOpenAIResponsesToolChoice(choice: ToolChoice | undefined): ToolChoiceOptions | ToolChoiceFunction | undefined {
  if (choice === undefined) return undefined;
  if (typeof choice === 'string') return choice;
  return { type: 'function', name: choice.name };
}

function textFormat(request: PreparedRequest): ResponseTextConfig | undefined {
  const format = request.responseFormat;
  if (format?.type !== 'json') return undefined;
  if (request.responseSchema === undefined) return { format: { type: 'json_object' } };
  return {
    format: {
      type: 'json_schema',
      name: format.name ?? 'response',
      schema: request.responseSchema as Record<string, unknown>,
      // Not strict, as for tools: the reply is validated against the zod schema by the core.
      strict: false,
      ...(format.description === undefined ? {} : { description: format.description }),
    },
  };
}

/**
 * Settings the Responses API has no field for. They fail the request rather than being dropped,
 * so that a caller relying on them finds out before paying for a reply that ignored them.
 */
function rejectUnsupported(request: PreparedRequest): void {
  const issues = [];
  if (request.stop !== undefined) {
    issues.push({
      code: 'custom' as const,
      path: ['stop'],
      message: 'the OpenAI Responses API has no stop sequences: leave `stop` out, or use createOpenAIModel (Chat Completions)',
      input: request.stop,
    });
  }
  if (request.seed !== undefined) {
    issues.push({
      code: 'custom' as const,
      path: ['seed'],
      message: 'the OpenAI Responses API has no seed: leave `seed` out, or use createOpenAIModel (Chat Completions)',
      input: request.seed,
    });
  }
  if (issues.length > 0) throw invalidRequestError('request', issues, OPENAI_PROVIDER);
}

/**
 * The Responses API request body, without `stream`. `maxTokens` is `max_output_tokens`;
 * `stop` and `seed` are invalid requests (the API has neither); `metadata` is Kit's and never
 * sent. Anything else the API takes (`reasoning`, `store`, `include`, `service_tier`,
 * `previous_response_id`, ...) passes through `providerOptions.openai`, and wins.
 */
export function toOpenAIResponsesParams(modelId: string, request: PreparedRequest): ResponseCreateParamsNonStreaming {
  rejectUnsupported(request);
  const params: ResponseCreateParamsNonStreaming = { model: modelId, input: toOpenAIResponsesInput(request.messages) };
  if (request.toolSchemas.length > 0) params.tools = toOpenAIResponsesTools(request.toolSchemas);
  const choice = toOpenAIResponsesToolChoice(request.toolChoice);
  if (choice !== undefined) params.tool_choice = choice;
  const text = textFormat(request);
  if (text !== undefined) params.text = text;
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.topP !== undefined) params.top_p = request.topP;
  if (request.maxTokens !== undefined) params.max_output_tokens = request.maxTokens;
  const extra = request.providerOptions?.[OPENAI_PROVIDER];
  return extra === undefined ? params : ({ ...params, ...extra } as ResponseCreateParamsNonStreaming);
}
