/**
 * `@kit/llm/huggingface`: Hugging Face models (the Inference Providers router, Inference
 * Endpoints, self-hosted TGI and TEI) through the official `@huggingface/inference` SDK (an
 * optional peer dependency, loaded only by this subpath).
 * @packageDocumentation
 */
export { createHuggingFaceModel, type HuggingFaceModelOptions } from './huggingface-model.js';
export {
  HUGGINGFACE_PROVIDER,
  toHuggingFaceChatParams,
  type HuggingFaceChatParams,
  type HuggingFaceStructuredOutputFormat,
} from './huggingface-request.js';
export { toHuggingFaceMessages, type HuggingFaceChatMessage } from './huggingface-messages.js';
export { mapHuggingFaceError } from './huggingface-errors.js';
export { mapHuggingFaceFinishReason, mapHuggingFaceUsage, type HuggingFaceWireUsage } from './huggingface-response.js';
export { toEmbeddingVectors, type HuggingFaceTokenPooling } from './huggingface-embeddings.js';
export type { ChatCompletionsTool, ChatCompletionsToolChoice } from '../chat-completions-format.js';
