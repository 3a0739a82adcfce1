import type * as Crypto from 'node:crypto';
import type { z } from 'zod';
import { require } from '../lazy-require.js';
import type { LanguageModel } from '../language-model.js';
import { toJsonSchema } from '../types/json-schema.js';
import type { CompletionRequest } from '../types/request.js';
import type { ToolDefinition } from '../types/tool.js';

/**
 * Bumped whenever the canonical form below changes, so that entries written by an older version
 * into a shared store (Redis) are never mistaken for answers to a request they do not match.
 */
const KEY_VERSION = 1;

// The canonical JSON text of each schema, made once per schema object: converting and sorting a
// schema costs far more than the rest of the key, and tool schemas are the same objects call
// after call.
const schemaText = new WeakMap<z.ZodType, string>();

// Loaded on the first key, not at import (see lazy-require.ts).
let stableStringify: ((value: object) => string) | undefined;
function stringify(value: object): string {
  stableStringify ??= (require('safe-stable-stringify') as typeof import('safe-stable-stringify')).stringify;
  return stableStringify(value);
}

function canonicalSchema(schema: z.ZodType): string {
  let text = schemaText.get(schema);
  if (text === undefined) {
    text = stringify(toJsonSchema(schema));
    schemaText.set(schema, text);
  }
  return text;
}

let sha256: ((text: string) => string) | undefined;

function sha256Hex(text: string): string {
  return (sha256 ??= sha256Function())(text);
}

function sha256Function(): (text: string) => string {
  const crypto = require('node:crypto') as typeof Crypto;
  // One-shot `crypto.hash` (Node 20.12+) is about twice as fast as a Hash object for short texts.
  return typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');
}

function canonicalTool(tool: ToolDefinition<any>): string {
  return `[${JSON.stringify(tool.name)},${JSON.stringify(tool.description ?? null)},${canonicalSchema(tool.parameters)}]`;
}

/**
 * The cache key of a request to one model: the hex SHA-256 of a canonical JSON text of
 * everything that can change the reply — provider and model id, messages, tools (name,
 * description, JSON Schema of the parameters), `toolChoice`, `responseFormat` (type, name,
 * description, JSON Schema), sampling settings, `stop`, `seed` and `providerOptions`.
 *
 * Left out on purpose: `signal` (how the call is cancelled, not what it asks) and `metadata`
 * (caller labels that never reach the provider). Object keys are sorted, so two requests that
 * differ only in key order share a key; arrays keep their order, since message and tool order
 * reach the model. An absent field and one set to `undefined` are the same.
 *
 * Throws when a schema cannot be expressed as JSON Schema (the model would reject such a request
 * anyway).
 */
export function requestCacheKey(
  request: CompletionRequest,
  model: Pick<LanguageModel, 'provider' | 'modelId'>,
): string {
  const format = request.responseFormat;
  // Only the fields that are set: an absent field then equals one set to undefined, and the
  // stable stringifier has fewer keys to sort (half its time for a short request).
  const core: Record<string, unknown> = {
    v: KEY_VERSION,
    provider: model.provider,
    model: model.modelId,
    messages: request.messages,
  };
  if (request.toolChoice !== undefined) core.toolChoice = request.toolChoice;
  if (format !== undefined) {
    core.responseFormat =
      format.type === 'json' ? { type: format.type, name: format.name, description: format.description } : { type: format.type };
  }
  if (request.temperature !== undefined) core.temperature = request.temperature;
  if (request.maxTokens !== undefined) core.maxTokens = request.maxTokens;
  if (request.topP !== undefined) core.topP = request.topP;
  if (request.stop !== undefined) core.stop = request.stop;
  if (request.seed !== undefined) core.seed = request.seed;
  if (request.providerOptions !== undefined) core.providerOptions = request.providerOptions;
  // Schemas are spliced in as ready-made canonical JSON rather than nested in `core`, so the
  // per-call work does not grow with schema size. The result is still one valid JSON text, so the
  // parts cannot run into each other ambiguously.
  let tools = 'null';
  if (request.tools !== undefined) {
    tools = '[';
    for (let i = 0; i < request.tools.length; i++) {
      if (i > 0) tools += ',';
      tools += canonicalTool(request.tools[i]!);
    }
    tools += ']';
  }
  const responseSchema =
    format?.type === 'json' && format.schema !== undefined ? canonicalSchema(format.schema) : 'null';
  const text = `{"core":${stringify(core)},"tools":${tools},"responseSchema":${responseSchema}}`;
  return sha256Hex(text);
}
