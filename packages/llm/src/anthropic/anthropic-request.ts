import type Anthropic from '@anthropic-ai/sdk';
import type { PreparedRequest } from '../create-language-model.js';
import { ProviderError } from '../errors/provider-error.js';
import type { JsonSchema } from '../types/json-schema.js';
import { toAnthropicPrompt } from './anthropic-messages.js';

/** The `provider` name of Anthropic models, and their key in `providerOptions` and `providerMetadata`. */
export const ANTHROPIC_PROVIDER = 'anthropic';

/** `max_tokens` when a request gives none: the API requires one. */
export const DEFAULT_MAX_TOKENS = 4096;

/** The tool the model is made to call when a request asks for JSON. */
export const STRUCTURED_OUTPUT_TOOL = 'json_response';

/**
 * How a JSON reply is asked for: through a forced call of one tool whose input is the reply.
 * Tool inputs must be objects, so a schema of another type (an array, a string) is wrapped in
 * `{ value }` and unwrapped on the way back.
 */
export interface StructuredOutputPlan {
  toolName: string;
  wrapped: boolean;
}

/**
 * The request body without `stream`. `temperature` and `top_p` are sent as given although SDK
 * 1.12's types no longer list them (the API deprecated them; models that reject them answer 400).
 */
export type AnthropicParams = Anthropic.MessageCreateParamsNonStreaming & { temperature?: number; top_p?: number };

export interface AnthropicRequestOptions {
  defaultMaxTokens?: number | undefined;
}

function toolChoice(choice: PreparedRequest['toolChoice']): Anthropic.ToolChoice | undefined {
  switch (choice) {
    case undefined:
      return undefined;
    case 'auto':
      return { type: 'auto' };
    case 'required':
      return { type: 'any' };
    case 'none':
      return { type: 'none' };
    default:
      return { type: 'tool', name: choice.name };
  }
}

function isObjectSchema(schema: JsonSchema): boolean {
  return schema['type'] === 'object';
}

/** Whether extended thinking is on: the API then refuses a forced tool choice. */
function thinkingEnabled(thinking: unknown): boolean {
  if (typeof thinking !== 'object' || thinking === null) return false;
  return (thinking as { type?: unknown }).type !== 'disabled';
}

/**
 * A Kit request as Messages API parameters, plus the structured-output plan the reply is read
 * with. `providerOptions.anthropic` is merged in last (`thinking`, `top_k`, `metadata`,
 * `service_tier`, ...), so it can also override what Kit derived.
 */
export function toAnthropicParams(
  modelId: string,
  request: PreparedRequest,
  options: AnthropicRequestOptions = {},
): { params: AnthropicParams; structured: StructuredOutputPlan | undefined } {
  const extra = { ...request.providerOptions?.[ANTHROPIC_PROVIDER] };
  // These belong to the adapter: `stream` is chosen by complete/stream, the rest comes from the request.
  delete extra['stream'];
  delete extra['model'];
  delete extra['messages'];

  const prompt = toAnthropicPrompt(request.messages);
  const thinking = extra['thinking'];
  const defaultMax = options.defaultMaxTokens ?? DEFAULT_MAX_TOKENS;
  const budget = (thinking as { budget_tokens?: unknown } | undefined)?.budget_tokens;
  // The thinking budget is part of max_tokens and must be below it: leave room for the answer.
  const maxTokens = request.maxTokens ?? (typeof budget === 'number' ? budget + defaultMax : defaultMax);

  const params: AnthropicParams = { model: modelId, max_tokens: maxTokens, messages: prompt.messages };
  if (prompt.system !== undefined) params.system = prompt.system;
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.topP !== undefined) params.top_p = request.topP;
  if (request.stop !== undefined) params.stop_sequences = request.stop;
  // `seed` has no Messages API counterpart and is not sent.

  let structured: StructuredOutputPlan | undefined;
  const format = request.responseFormat;
  if (format?.type === 'json') {
    if (request.toolSchemas.length > 0) {
      // The reply would be either a tool call or the JSON; Kit's result has no way to hold both.
      throw new ProviderError({
        kind: 'invalid-request',
        message: `${ANTHROPIC_PROVIDER}: a JSON responseFormat cannot be combined with tools (JSON replies are made through a forced tool call); make two requests`,
        provider: ANTHROPIC_PROVIDER,
      });
    }
    const schema = request.responseSchema ?? { type: 'object' };
    const wrapped = !isObjectSchema(schema);
    structured = { toolName: format.name ?? STRUCTURED_OUTPUT_TOOL, wrapped };
    const tool: Anthropic.Tool = {
      name: structured.toolName,
      description: format.description ?? 'Respond with the answer as this tool’s input, which must match its schema.',
      input_schema: (wrapped
        ? { type: 'object', properties: { value: schema }, required: ['value'] }
        : schema) as Anthropic.Tool.InputSchema,
    };
    params.tools = [tool];
    params.tool_choice = thinkingEnabled(thinking) ? { type: 'auto' } : { type: 'tool', name: structured.toolName };
  } else if (request.toolSchemas.length > 0) {
    params.tools = request.toolSchemas.map((t) => {
      const tool: Anthropic.Tool = { name: t.name, input_schema: t.parameters as Anthropic.Tool.InputSchema };
      if (t.description !== undefined) tool.description = t.description;
      return tool;
    });
  }
  // A tool choice without tools is an API error; with none offered, there is nothing to choose.
  if (structured === undefined && params.tools !== undefined) {
    const choice = toolChoice(request.toolChoice);
    if (choice !== undefined) params.tool_choice = choice;
  }

  return { params: { ...params, ...extra } as AnthropicParams, structured };
}
