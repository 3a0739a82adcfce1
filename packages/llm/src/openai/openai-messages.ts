import type { ChatCompletionContentPart, ChatCompletionContentPartImage, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ImagePart, Message } from '../types/message.js';

function imageUrl(part: ImagePart): string {
  if (part.url !== undefined) return part.url;
  return `data:${part.mediaType};base64,${part.data}`;
}

/**
 * Kit messages as Chat Completions messages. Reasoning parts are not sent: Chat Completions has
 * no field for them (OpenAI's reasoning models keep their reasoning server-side).
 */
export function toOpenAIMessages(messages: readonly Message[]): ChatCompletionMessageParam[] {
  return messages.map((message): ChatCompletionMessageParam => {
    switch (message.role) {
      case 'system':
        return { role: 'system', content: message.content };
      case 'user': {
        const content =
          typeof message.content === 'string'
            ? message.content
            : message.content.map((part): ChatCompletionContentPart => {
                if (part.type === 'text') return { type: 'text', text: part.text };
                const image: ChatCompletionContentPartImage = { type: 'image_url', image_url: { url: imageUrl(part) } };
                if (part.detail !== undefined) image.image_url.detail = part.detail;
                return image;
              });
        return message.name === undefined ? { role: 'user', content } : { role: 'user', content, name: message.name };
      }
      case 'assistant': {
        // Chat Completions wants null content, not '', beside tool calls.
        const out: ChatCompletionMessageParam = { role: 'assistant', content: message.content === '' ? null : message.content };
        if (message.toolCalls !== undefined && message.toolCalls.length > 0) {
          out.tool_calls = message.toolCalls.map((call) => ({
            id: call.id,
            type: 'function' as const,
            function: { name: call.name, arguments: JSON.stringify(call.arguments) },
          }));
        }
        return out;
      }
      case 'tool':
        return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    }
  });
}
