import { KitError } from './errors/kit-error.js';
import type { LanguageModel } from './language-model.js';

/** The providers `createModel` knows, each behind its own subpath and optional SDK. */
export type ProviderName = 'openai' | 'anthropic' | 'ollama' | 'huggingface';

const PROVIDERS: readonly ProviderName[] = ['openai', 'anthropic', 'ollama', 'huggingface'];

/** Options handed to the provider's factory (`apiKey`, `baseURL`, `host`, `fetch`, ...). */
export type CreateModelOptions = Record<string, unknown>;

/** Raised for a model string that does not name a known provider and a model. */
export class UnknownModelError extends KitError {
  /** Builds the error with code `model/unknown`; `message` says what a model string looks like. */
  constructor(message: string) {
    super('model/unknown', message);
    this.name = 'UnknownModelError';
  }
}

/** The prefix that picks OpenAI's Responses API instead of Chat Completions: `'openai-responses:gpt-5-mini'`. */
const OPENAI_RESPONSES_PREFIX = 'openai-responses';

/**
 * `'openai:gpt-4o-mini'` as `{ provider: 'openai', modelId: 'gpt-4o-mini' }`. Model ids may hold
 * `:` and `/`. `'openai-responses:gpt-5-mini'` is provider `openai` with `api: 'responses'`.
 */
export function parseModelString(model: string): {
  /** The provider before the first `:` (`openai` for `openai-responses`). */
  provider: ProviderName;
  /** Everything after the first `:`, never blank; may hold `:` and `/`. */
  modelId: string;
  /** `'responses'` for an `openai-responses:` string (OpenAI's Responses API); else undefined. */
  api?: 'responses';
} {
  const colon = model.indexOf(':');
  const prefix = colon < 0 ? '' : model.slice(0, colon);
  const modelId = colon < 0 ? '' : model.slice(colon + 1);
  const responses = prefix === OPENAI_RESPONSES_PREFIX;
  const provider = responses ? 'openai' : prefix;
  if (!(PROVIDERS as readonly string[]).includes(provider) || modelId.trim() === '') {
    throw new UnknownModelError(
      `"${model}" is not a model string: write "<provider>:<model>" with provider one of ${PROVIDERS.join(', ')}, or ${OPENAI_RESPONSES_PREFIX} for OpenAI's Responses API (e.g. "openai:gpt-4o-mini")`,
    );
  }
  return responses ? { provider: 'openai', modelId, api: 'responses' } : { provider: provider as ProviderName, modelId };
}

/**
 * A model from a `'<provider>:<model>'` string: `'openai:gpt-4o-mini'`,
 * `'anthropic:claude-sonnet-4-5'`, `'ollama:llama3.2'`, `'huggingface:meta-llama/Llama-3.1-8B-Instruct'`;
 * `'openai-responses:gpt-5-mini'` is an OpenAI model through the Responses API.
 * Keys and hosts come from `options` or the environment (`OPENAI_API_KEY`, `OPENAI_BASE_URL`,
 * `ANTHROPIC_API_KEY`, `ANTHROPIC_BASE_URL`, `OLLAMA_HOST`, `HF_TOKEN`); a missing key fails with
 * an error naming the variable. The provider's SDK is loaded only here, on first use.
 */
export async function createModel(model: string, options: CreateModelOptions = {}): Promise<LanguageModel> {
  const { provider, modelId, api } = parseModelString(model);
  switch (provider) {
    case 'openai': {
      const openai = await import('./openai/index.js');
      return api === 'responses' ? openai.createOpenAIResponsesModel(modelId, options) : openai.createOpenAIModel(modelId, options);
    }
    case 'anthropic':
      return (await import('./anthropic/index.js')).createAnthropicModel(modelId, options);
    case 'ollama':
      return (await import('./ollama/index.js')).createOllamaModel(modelId, options);
    case 'huggingface':
      return (await import('./huggingface/index.js')).createHuggingFaceModel(modelId, options);
  }
}

/** The default model of each provider when only its key is set. */
export const DEFAULT_MODELS: Readonly<Record<ProviderName, string>> = {
  openai: 'openai:gpt-4o-mini',
  anthropic: 'anthropic:claude-haiku-4-5',
  ollama: 'ollama:llama3.2',
  huggingface: 'huggingface:meta-llama/Llama-3.1-8B-Instruct',
};

/**
 * The model string the environment asks for, or undefined when it names no provider: `KIT_MODEL`
 * when set, else the first provider whose variable is set, in the order OPENAI_API_KEY,
 * ANTHROPIC_API_KEY, OLLAMA_HOST, HF_TOKEN.
 */
export function modelFromEnvironment(env: Record<string, string | undefined> = process.env): string | undefined {
  if (env.KIT_MODEL) return env.KIT_MODEL;
  if (env.OPENAI_API_KEY) return DEFAULT_MODELS.openai;
  if (env.ANTHROPIC_API_KEY) return DEFAULT_MODELS.anthropic;
  if (env.OLLAMA_HOST) return DEFAULT_MODELS.ollama;
  if (env.HF_TOKEN) return DEFAULT_MODELS.huggingface;
  return undefined;
}
