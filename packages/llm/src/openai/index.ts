/**
 * `@kit/llm/openai`: OpenAI models through the official `openai` SDK (an optional peer
 * dependency, loaded only by this subpath).
 * @packageDocumentation
 */
export {
  createOpenAIModel,
  createOpenAIClient,
  mapOpenAIError,
  mapOpenAIFinishReason,
  mapOpenAIUsage,
  OPENAI_PROVIDER,
  type OpenAIModelOptions,
} from './openai-chat-model.js';
export { createOpenAIResponsesModel } from './openai-responses-model.js';
export { mapOpenAIResponsesError, openAIResponsesFailureError, type OpenAIResponsesFailure } from './openai-responses-errors.js';
export { mapOpenAIResponsesFinishReason, mapOpenAIResponsesUsage } from './openai-responses-response.js';
