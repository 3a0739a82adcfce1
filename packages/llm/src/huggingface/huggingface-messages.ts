import type { ImagePart, Message } from '../types/message.js';

/** One chat message in the OpenAI-compatible shape TGI and the Hugging Face router accept. */
export interface HuggingFaceChatMessage {
  /** Who speaks, as in Kit's messages. */
  role: 'system' | 'user' | 'assistant' | 'tool';
  /** Text or text and image parts; left out of an assistant turn that only calls tools. */
  content?:
    | string
    | Array<
        | {
            /** A text part. */
            type: 'text';
            /** The part's text. */
            text: string;
          }
        | {
            /** An image part. */
            type: 'image_url';
            /** Where the image is. */
            image_url: {
              /** An http(s) URL, or a base64 `data:` URL for inline data. */
              url: string;
            };
          }
      >;
  /** The user's `name`, when the Kit message has one. */
  name?: string;
  /** An assistant turn's tool calls. */
  tool_calls?: Array<{
    /** The call's id. */
    id: string;
    /** Always `'function'`. */
    type: 'function';
    /** The function called. */
    function: {
      /** The tool's name. */
      name: string;
      /** The arguments as JSON text. */
      arguments: string;
    };
  }>;
  /** A tool result's call id. */
  tool_call_id?: string;
  [key: string]: unknown;
}

function imageUrl(part: ImagePart): string {
  return part.url ?? `data:${part.mediaType};base64,${part.data}`;
}

/**
 * Kit messages as chat-completion messages. Reasoning parts are not sent back: the API has no
 * field for them. An assistant turn that only calls tools carries no `content` at all, because
 * TGI reads a message with `content` as plain text and would drop its `tool_calls`.
 */
export function toHuggingFaceMessages(messages: readonly Message[]): HuggingFaceChatMessage[] {
  return messages.map((message): HuggingFaceChatMessage => {
    switch (message.role) {
      case 'system':
        return { role: 'system', content: message.content };
      case 'user': {
        const content =
          typeof message.content === 'string'
            ? message.content
            : message.content.map((part) =>
                part.type === 'text'
                  ? { type: 'text' as const, text: part.text }
                  : { type: 'image_url' as const, image_url: { url: imageUrl(part) } },
              );
        return message.name === undefined ? { role: 'user', content } : { role: 'user', content, name: message.name };
      }
      case 'assistant': {
        const calls = message.toolCalls ?? [];
        if (calls.length === 0) return { role: 'assistant', content: message.content };
        const out: HuggingFaceChatMessage = {
          role: 'assistant',
          tool_calls: calls.map((call) => ({
            id: call.id,
            type: 'function' as const,
            function: { name: call.name, arguments: JSON.stringify(call.arguments) },
          })),
        };
        if (message.content !== '') out.content = message.content;
        return out;
      }
      case 'tool':
        return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    }
  });
}
