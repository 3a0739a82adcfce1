import type { LanguageModel } from '@kit/llm';
import { usageError } from './cli-error.js';

/** The environment variables that configure a model, in the order `modelFromEnvironment` reads them. */
export const MODEL_ENV_VARS = ['KIT_MODEL', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'OLLAMA_HOST', 'HF_TOKEN'] as const;

const NO_MODEL = `no model configured: pass --model <provider>:<model> (e.g. --model openai:gpt-4o-mini) or set one of ${MODEL_ENV_VARS.join(', ')}`;

/**
 * The model string to use: `--model` when given, else what the environment names
 * (`modelFromEnvironment`); none is a usage error naming the flag and the variables.
 */
export async function resolveModelName(option: string | undefined, env: Readonly<Record<string, string | undefined>>): Promise<string> {
  if (option !== undefined) {
    if (option.trim() === '') throw usageError(`--model is empty: ${NO_MODEL.replace(/^no model configured: /, '')}`);
    return option;
  }
  const { modelFromEnvironment } = await import('@kit/llm');
  const name = modelFromEnvironment(env);
  if (name === undefined) throw usageError(NO_MODEL);
  return name;
}

/**
 * Creates the model a string names. A string that names no provider, a missing key or a
 * provider SDK that is not installed are usage errors (exit 2): the command cannot run as given.
 * The key is never part of a message; the provider's own message names the variable.
 */
export async function createModelFromName(name: string): Promise<LanguageModel> {
  const { createModel } = await import('@kit/llm');
  try {
    return await createModel(name);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'model/unknown') throw usageError(message, { cause: error });
    if (code === 'provider/auth') throw usageError(`cannot use ${name}: ${message}`, { cause: error });
    if (code === 'ERR_MODULE_NOT_FOUND') throw usageError(`cannot use ${name}: its provider SDK is not installed (${message.split('\n')[0]})`, { cause: error });
    throw error;
  }
}
