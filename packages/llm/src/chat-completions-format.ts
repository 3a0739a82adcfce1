import type { PreparedRequest } from './create-language-model.js';
import type { FinishReason } from './types/response.js';
import type { ToolChoice } from './types/tool.js';

// The parts of the OpenAI Chat Completions wire format that more than one adapter speaks (OpenAI
// itself, and the Hugging Face router and TGI, which follow it). Adapters add their own fields and
// their own dialect's extra values around these.

/** A tool definition in the Chat Completions `tools` list. */
export interface ChatCompletionsTool {
  /** Always `'function'`, the only tool type Kit sends. */
  type: 'function';
  /** The tool as the API describes a function. */
  function: {
    /** The tool's name. */
    name: string;
    /** The tool's description; left out when it has none. */
    description?: string;
    /** The arguments' JSON Schema. */
    parameters: Record<string, unknown>;
  };
}

/** A `tool_choice`: a mode, or one function by name. */
export type ChatCompletionsToolChoice =
  | 'auto'
  | 'none'
  | 'required'
  | {
      /** Always `'function'`. */
      type: 'function';
      /** The function the model must call. */
      function: {
        /** The tool's name. */
        name: string;
      };
    };

/** The request's tools (already converted to JSON Schema by the core) as a `tools` list. */
export function toChatCompletionsTools(toolSchemas: PreparedRequest['toolSchemas']): ChatCompletionsTool[] {
  return toolSchemas.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: tool.parameters as Record<string, unknown>,
    },
  }));
}

/** Kit's tool choice as `tool_choice`; undefined when the request names none. */
export function toChatCompletionsToolChoice(choice: ToolChoice | undefined): ChatCompletionsToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (typeof choice === 'string') return choice;
  return { type: 'function', function: { name: choice.name } };
}

/** A Chat Completions `finish_reason` as Kit's; anything unknown is `other`. */
export function mapChatCompletionsFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}
