import type { Message as OllamaMessage, Tool as OllamaTool } from 'ollama';
import type { PreparedRequest } from '../create-language-model.js';
import { ProviderError } from '../errors/provider-error.js';
import type { ImagePart, Message } from '../types/message.js';

const DATA_URL = /^data:[^;,]+;base64,(.*)$/s;

/** Ollama takes images only as base64 data; a `data:` URL is unwrapped, a remote URL refused. */
function imageData(part: ImagePart): string {
  if (part.data !== undefined) return part.data;
  const match = DATA_URL.exec(part.url ?? '');
  if (match?.[1] !== undefined) return match[1];
  throw new ProviderError({
    kind: 'invalid-request',
    message: 'ollama: images must be given as base64 `data` (or a base64 data: URL); Ollama cannot fetch image URLs',
    provider: 'ollama',
  });
}

/**
 * Kit messages as Ollama chat messages. Ollama tool calls carry no ids, so a tool result names
 * its tool (`tool_name`), taken from the message or from the call it answers.
 */
export function toOllamaMessages(messages: readonly Message[]): OllamaMessage[] {
  const toolNames = new Map<string, string>();
  return messages.map((message): OllamaMessage => {
    switch (message.role) {
      case 'system':
        return { role: 'system', content: message.content };
      case 'user': {
        if (typeof message.content === 'string') return { role: 'user', content: message.content };
        let content = '';
        const images: string[] = [];
        for (const part of message.content) {
          if (part.type === 'text') content += part.text;
          else images.push(imageData(part));
        }
        return images.length > 0 ? { role: 'user', content, images } : { role: 'user', content };
      }
      case 'assistant': {
        const out: OllamaMessage = { role: 'assistant', content: message.content };
        // Ollama takes earlier thinking back as plain text; redacted reasoning has no text to send.
        const thinking = (message.reasoning ?? []).map((r) => r.text).join('');
        if (thinking !== '') out.thinking = thinking;
        if (message.toolCalls !== undefined && message.toolCalls.length > 0) {
          out.tool_calls = message.toolCalls.map((call) => {
            toolNames.set(call.id, call.name);
            return { function: { name: call.name, arguments: call.arguments } };
          });
        }
        return out;
      }
      case 'tool': {
        const out: OllamaMessage = { role: 'tool', content: message.content };
        const name = message.toolName ?? toolNames.get(message.toolCallId);
        if (name !== undefined) out.tool_name = name;
        return out;
      }
    }
  });
}

/**
 * The tools to send. Ollama has no tool choice: `none` sends no tools, a named tool sends only
 * that one, and `required` cannot be enforced (the model may still answer in text).
 */
export function toOllamaTools(request: PreparedRequest): OllamaTool[] | undefined {
  const choice = request.toolChoice;
  if (choice === 'none') return undefined;
  const schemas = typeof choice === 'object' ? request.toolSchemas.filter((t) => t.name === choice.name) : request.toolSchemas;
  if (schemas.length === 0) return undefined;
  return schemas.map((tool) => {
    const fn: OllamaTool['function'] = { name: tool.name, parameters: tool.parameters as NonNullable<OllamaTool['function']['parameters']> };
    if (tool.description !== undefined) fn.description = tool.description;
    return { type: 'function', function: fn };
  });
}
