import type { ResponseInputContent, ResponseInputItem } from 'openai/resources/responses/responses';
import type { AssistantMessage, ImagePart, Message, UserMessage } from '../types/message.js';
import { toOpenAIResponsesReasoningItem } from './openai-responses-reasoning.js';

function imageUrl(part: ImagePart): string {
  return part.url ?? `data:${part.mediaType};base64,${part.data}`;
}

function userContent(message: UserMessage): string | ResponseInputContent[] {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part): ResponseInputContent =>
    part.type === 'text'
      ? { type: 'input_text', text: part.text }
      : { type: 'input_image', image_url: imageUrl(part), detail: part.detail ?? 'auto' },
  );
}

/**
 * One assistant turn as the items the model produced, in its order: reasoning, then the text,
 * then the function calls. Reasoning is sent only beside something it led to: the API rejects a
 * reasoning item that nothing follows.
 */
function assistantItems(message: AssistantMessage): ResponseInputItem[] {
  const items: ResponseInputItem[] = [];
  const calls = message.toolCalls ?? [];
  if (message.content !== '' || calls.length > 0) {
    for (const part of message.reasoning ?? []) {
      const item = toOpenAIResponsesReasoningItem(part);
      if (item !== undefined) items.push(item);
    }
  }
  if (message.content !== '') items.push({ role: 'assistant', content: message.content });
  for (const call of calls) {
    items.push({ type: 'function_call', call_id: call.id, name: call.name, arguments: JSON.stringify(call.arguments) });
  }
  return items;
}

/**
 * Kit messages as Responses API `input` items. System messages stay in place as `system`
 * messages (not `instructions`), so several, or one mid-conversation, keep their position. A
 * user message's `name` has no field here and is not sent. Tool results become
 * `function_call_output` items answering their call by `call_id`.
 */
export function toOpenAIResponsesInput(messages: readonly Message[]): ResponseInputItem[] {
  const input: ResponseInputItem[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        input.push({ role: 'system', content: message.content });
        break;
      case 'user':
        input.push({ role: 'user', content: userContent(message) });
        break;
      case 'assistant':
        input.push(...assistantItems(message));
        break;
      case 'tool':
        input.push({ type: 'function_call_output', call_id: message.toolCallId, output: message.content });
        break;
    }
  }
  return input;
}
