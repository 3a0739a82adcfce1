import type Anthropic from '@anthropic-ai/sdk';
import { OPENAI_RESPONSES_REASONING_PREFIX, type AssistantMessage, type ImagePart, type Message, type ReasoningPart } from '../types/message.js';

type ContentBlockParam = Anthropic.ContentBlockParam;
type MediaType = Anthropic.Base64ImageSource['media_type'];

/** Kit messages split the way the Messages API wants them: system prompts apart, turns in order. */
export interface AnthropicPrompt {
  system: string | Anthropic.TextBlockParam[] | undefined;
  messages: Anthropic.MessageParam[];
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function imageBlock(part: ImagePart): Anthropic.ImageBlockParam {
  if (part.data !== undefined) {
    return { type: 'image', source: { type: 'base64', media_type: part.mediaType as MediaType, data: part.data } };
  }
  // The API fetches `url` sources itself and does not take data URLs: send those inline.
  const url = part.url ?? '';
  const inline = DATA_URL.exec(url);
  if (inline !== null) {
    return { type: 'image', source: { type: 'base64', media_type: inline[1] as MediaType, data: inline[2] ?? '' } };
  }
  return { type: 'image', source: { type: 'url', url } };
}

/**
 * Reasoning parts as thinking blocks, signature unchanged (the API verifies it). Unsigned parts
 * (another provider's reasoning, or one cut off before its signature) and OpenAI Responses
 * reasoning cannot be verified and would be rejected, so they are left out.
 */
function reasoningBlocks(parts: readonly ReasoningPart[]): ContentBlockParam[] {
  const blocks: ContentBlockParam[] = [];
  for (const part of parts) {
    if (part.redactedData !== undefined) blocks.push({ type: 'redacted_thinking', data: part.redactedData });
    // OpenAI's encrypted reasoning carries a signature too, which Anthropic would reject.
    else if (part.signature !== undefined && part.signature !== '' && !part.signature.startsWith(OPENAI_RESPONSES_REASONING_PREFIX)) {
      blocks.push({ type: 'thinking', thinking: part.text, signature: part.signature });
    }
  }
  return blocks;
}

function assistantContent(message: AssistantMessage): Anthropic.MessageContentParam {
  // Thinking blocks must come first in the turn, as the model produced them.
  const blocks = reasoningBlocks(message.reasoning ?? []);
  if (message.content !== '') blocks.push({ type: 'text', text: message.content });
  for (const call of message.toolCalls ?? []) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.arguments });
  }
  if (blocks.length === 1 && blocks[0]?.type === 'text') return message.content;
  return blocks.length === 0 ? message.content : blocks;
}

/**
 * Kit messages as a Messages API prompt. System messages go to the top-level `system` (several
 * become several text blocks); consecutive tool results become `tool_result` blocks of one user
 * turn, as the API requires every result of one assistant turn in the next user turn.
 */
export function toAnthropicPrompt(messages: readonly Message[]): AnthropicPrompt {
  const system: string[] = [];
  const out: Anthropic.MessageParam[] = [];
  let toolResults: Anthropic.ToolResultBlockParam[] | undefined;

  for (const message of messages) {
    if (message.role !== 'tool') toolResults = undefined;
    switch (message.role) {
      case 'system':
        system.push(message.content);
        break;
      case 'user': {
        const content =
          typeof message.content === 'string'
            ? message.content
            : message.content.map((part): ContentBlockParam =>
                part.type === 'text' ? { type: 'text', text: part.text } : imageBlock(part),
              );
        out.push({ role: 'user', content });
        break;
      }
      case 'assistant':
        out.push({ role: 'assistant', content: assistantContent(message) });
        break;
      case 'tool': {
        const result: Anthropic.ToolResultBlockParam = { type: 'tool_result', tool_use_id: message.toolCallId, content: message.content };
        if (message.isError !== undefined) result.is_error = message.isError;
        if (toolResults === undefined) {
          toolResults = [];
          out.push({ role: 'user', content: toolResults });
        }
        toolResults.push(result);
        break;
      }
    }
  }

  const systemParam =
    system.length === 0 ? undefined : system.length === 1 ? system[0] : system.map((text) => ({ type: 'text' as const, text }));
  return { system: systemParam, messages: out };
}
