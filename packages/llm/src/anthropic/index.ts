/**
 * `@kit/llm/anthropic`: Claude models through the official `@anthropic-ai/sdk` (an optional peer
 * dependency, loaded only by this subpath).
 * @packageDocumentation
 */
export {
  createAnthropicModel,
  createAnthropicClient,
  ANTHROPIC_API_KEY_ENV,
  type AnthropicModelOptions,
} from './anthropic-model.js';
export { mapAnthropicError } from './anthropic-errors.js';
export { mapAnthropicStopReason, mapAnthropicUsage, type AnthropicUsageFields } from './anthropic-response.js';
export { ANTHROPIC_PROVIDER, DEFAULT_MAX_TOKENS, STRUCTURED_OUTPUT_TOOL } from './anthropic-request.js';
