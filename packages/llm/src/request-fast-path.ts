import { isZodSchema } from './types/tool.js';
import type { Message } from './types/message.js';
import type { CompletionRequest, ResponseFormat } from './types/request.js';

// Validating a request with zod costs ~6 µs for a 10-message chat, most of a scripted call's
// time and a large share of a turn's under load. Most requests are plain chats: string contents,
// no tools, no tool messages. This checks exactly that shape by hand and returns the copy zod
// would return (known keys only, in the same order); anything else, valid or not, returns
// undefined and goes to zod, which stays the one place that words errors. The test compares the
// two on a corpus of valid and invalid requests.

const RESPONSE_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function plainMessage(value: unknown): Message | undefined {
  if (!isPlainObject(value)) return undefined;
  const { role, content } = value;
  if (typeof content !== 'string') return undefined;
  let keys = 2;
  switch (role) {
    case 'system':
      break;
    case 'assistant':
      // Tool calls and reasoning parts are zod's to check.
      if ('toolCalls' in value || 'reasoning' in value) return undefined;
      break;
    case 'user': {
      if (!('name' in value)) break;
      const { name } = value;
      if (name !== undefined && (typeof name !== 'string' || name.length === 0)) return undefined;
      for (const key in value) if (key !== 'role' && key !== 'content' && key !== 'name') return undefined;
      return { role, content, name: name as string | undefined };
    }
    default:
      return undefined;
  }
  for (const key in value) {
    if (--keys < 0 || (key !== 'role' && key !== 'content')) return undefined;
  }
  return { role, content } as Message;
}

function plainResponseFormat(value: unknown): ResponseFormat | undefined {
  if (!isPlainObject(value)) return undefined;
  if (value.type === 'text') {
    for (const key in value) if (key !== 'type') return undefined;
    return { type: 'text' };
  }
  if (value.type !== 'json') return undefined;
  const out: Record<string, unknown> = { type: 'json' };
  for (const key in value) {
    const field = value[key];
    switch (key) {
      case 'type':
        continue;
      case 'schema':
        if (field !== undefined && !isZodSchema(field)) return undefined;
        break;
      case 'name':
        if (field !== undefined && (typeof field !== 'string' || !RESPONSE_NAME_PATTERN.test(field))) return undefined;
        break;
      case 'description':
        if (field !== undefined && typeof field !== 'string') return undefined;
        break;
      default:
        return undefined;
    }
  }
  // zod writes the keys in its shape's order.
  if ('schema' in value) out.schema = value.schema;
  if ('name' in value) out.name = value.name;
  if ('description' in value) out.description = value.description;
  return out as unknown as ResponseFormat;
}

function plainMetadata(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    const field = value[key];
    if (typeof field === 'string' || typeof field === 'boolean') continue;
    if (typeof field === 'number' && Number.isFinite(field)) continue;
    return false;
  }
  return true;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * The validated copy of a plain chat request, or undefined when the request is not one (tools,
 * tool messages, parts, provider options, or anything invalid): then zod decides. Unknown
 * top-level keys are left out of the copy, as zod leaves them out.
 */
export function parsePlainCompletionRequest(request: unknown): CompletionRequest | undefined {
  if (!isPlainObject(request)) return undefined;
  // Keys the schema does not name are dropped, as zod's (stripping) object does: a request that
  // carries extras (a provider's prepared copy sent again, say) still takes this path.
  const { messages } = request;
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  const outMessages: Message[] = new Array<Message>(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const message = plainMessage(messages[i]);
    if (message === undefined) return undefined;
    outMessages[i] = message;
  }
  const out: Record<string, unknown> = { messages: outMessages };
  if ('tools' in request) {
    const { tools } = request;
    // An empty list is the only tools value this path takes; zod keeps it as an empty list.
    if (tools !== undefined && !(Array.isArray(tools) && tools.length === 0)) return undefined;
    out.tools = tools === undefined ? undefined : [];
  }
  if ('toolChoice' in request) {
    const choice = request.toolChoice;
    if (choice !== undefined && choice !== 'auto' && choice !== 'none') return undefined;
    out.toolChoice = choice;
  }
  if ('responseFormat' in request) {
    const format = request.responseFormat;
    if (format === undefined) out.responseFormat = undefined;
    else {
      const parsed = plainResponseFormat(format);
      if (parsed === undefined) return undefined;
      out.responseFormat = parsed;
    }
  }
  if ('temperature' in request) {
    const value = request.temperature;
    if (value !== undefined && !(isFiniteNumber(value) && value >= 0 && value <= 2)) return undefined;
    out.temperature = value;
  }
  if ('maxTokens' in request) {
    const value = request.maxTokens;
    if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) > 0)) return undefined;
    out.maxTokens = value;
  }
  if ('topP' in request) {
    const value = request.topP;
    if (value !== undefined && !(isFiniteNumber(value) && value > 0 && value <= 1)) return undefined;
    out.topP = value;
  }
  if ('stop' in request) {
    const value = request.stop;
    if (value !== undefined) {
      if (!Array.isArray(value) || value.length > 16) return undefined;
      for (const s of value) if (typeof s !== 'string' || s.length === 0) return undefined;
      out.stop = [...(value as string[])];
    } else out.stop = undefined;
  }
  if ('seed' in request) {
    const value = request.seed;
    if (value !== undefined && !Number.isSafeInteger(value)) return undefined;
    out.seed = value;
  }
  if ('signal' in request) {
    const value = request.signal;
    if (value !== undefined && !(value instanceof AbortSignal)) return undefined;
    out.signal = value;
  }
  if ('providerOptions' in request) {
    if (request.providerOptions !== undefined) return undefined;
    out.providerOptions = undefined;
  }
  if ('metadata' in request) {
    const value = request.metadata;
    if (value !== undefined) {
      if (!plainMetadata(value)) return undefined;
      out.metadata = { ...(value as Record<string, unknown>) };
    } else out.metadata = undefined;
  }
  return out as unknown as CompletionRequest;
}
