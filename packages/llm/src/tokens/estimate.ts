import type { TokenCountInput } from '../language-model.js';
import { toJsonSchema } from '../types/json-schema.js';
import type { ToolDefinition } from '../types/tool.js';
import { REPLY_PRIMING_TOKENS, TOKENS_PER_MESSAGE, TOKENS_PER_NAME, TOKENS_PER_TOOL_CALL } from './chat-framing.js';

/** English averages about four characters per token across OpenAI's and most other tokenizers. */
const CHARS_PER_TOKEN = 4;
/** An image of unknown size at high detail under OpenAI's tile rule (1024×1024 → 765). */
const IMAGE_ESTIMATE = 765;
/** Low-detail images cost a flat base under OpenAI's tile rule. */
const LOW_DETAIL_IMAGE_ESTIMATE = 85;
/** Role words are one token each. */
const ROLE_TOKENS = 1;

// Characters of JSON per tool definition, computed once per schema object (tools are reused
// across requests), so the hot path does not serialise schemas.
const toolChars = new WeakMap<object, number>();

function toolDefinitionChars(tool: ToolDefinition<any>): number {
  let chars = toolChars.get(tool.parameters);
  if (chars === undefined) {
    try {
      chars = JSON.stringify(toJsonSchema(tool.parameters)).length;
    } catch {
      chars = 0; // a schema JSON Schema cannot express; the request itself will be rejected
    }
    toolChars.set(tool.parameters, chars);
  }
  return chars + tool.name.length + (tool.description?.length ?? 0);
}

/** The length a value would have as compact JSON, without building the string. */
function jsonChars(value: unknown): number {
  if (typeof value === 'string') return value.length + 2;
  if (typeof value === 'number' || typeof value === 'boolean') return 5;
  if (value === null || typeof value !== 'object') return 4;
  let chars = 2;
  if (Array.isArray(value)) {
    for (const item of value) chars += jsonChars(item) + 1;
    return chars;
  }
  for (const key in value) chars += key.length + 4 + jsonChars((value as Record<string, unknown>)[key]);
  return chars;
}

/**
 * A cheap token estimate that needs no tokenizer: characters / 4, plus OpenAI's per-message
 * framing and the tool definitions' JSON length / 4. Linear in the input, no string building;
 * meant for hot paths such as rate limiting, where `countTokens` would be too slow or is not
 * loaded yet. Typically within ±25% of the real count for English prose; worse for CJK
 * (underestimates) and for whitespace-heavy code (overestimates).
 */
export function estimateTokensFast(input: TokenCountInput): number {
  if (typeof input === 'string') return Math.ceil(input.length / CHARS_PER_TOKEN);
  let chars = 0;
  let tokens = REPLY_PRIMING_TOKENS;
  for (const message of input.messages) {
    tokens += TOKENS_PER_MESSAGE + ROLE_TOKENS;
    if (typeof message.content === 'string') chars += message.content.length;
    else {
      for (const part of message.content) {
        if (part.type === 'text') chars += part.text.length;
        else tokens += part.detail === 'low' ? LOW_DETAIL_IMAGE_ESTIMATE : IMAGE_ESTIMATE;
      }
    }
    if (message.role === 'user' && message.name !== undefined) {
      tokens += TOKENS_PER_NAME;
      chars += message.name.length;
    }
    if (message.role === 'assistant' && message.toolCalls !== undefined) {
      for (const call of message.toolCalls) {
        tokens += TOKENS_PER_TOOL_CALL;
        chars += call.name.length + jsonChars(call.arguments);
      }
    }
  }
  for (const tool of input.tools ?? []) chars += toolDefinitionChars(tool);
  return tokens + Math.ceil(chars / CHARS_PER_TOKEN);
}
