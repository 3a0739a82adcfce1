import type { z } from 'zod';
import { ToolCallError } from '../errors/structured-output-error.js';
import type { ToolCall } from '../types/message.js';
import type { ToolDefinition } from '../types/tool.js';

/**
 * Parses and validates one tool call's arguments. Empty arguments mean `{}` (Anthropic sends `""`
 * for a tool without parameters). The result is the schema's parsed output.
 */
export function finalizeToolCall(
  id: string,
  name: string,
  raw: string | Record<string, unknown>,
  tools: ReadonlyMap<string, ToolDefinition<any>> | undefined,
): ToolCall {
  const rawArguments = typeof raw === 'string' ? raw : JSON.stringify(raw);
  let parsed: unknown;
  if (typeof raw === 'string') {
    if (raw.trim() === '') parsed = {};
    else {
      try {
        parsed = JSON.parse(raw);
      } catch (cause) {
        throw new ToolCallError({ toolCallId: id, toolName: name, rawArguments, reason: 'invalid-json', cause });
      }
    }
  } else parsed = raw;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ToolCallError({ toolCallId: id, toolName: name, rawArguments, reason: 'invalid-json' });
  }
  if (tools === undefined) return { id, name, arguments: parsed as Record<string, unknown> };
  const tool = tools.get(name);
  if (tool === undefined) {
    throw new ToolCallError({ toolCallId: id, toolName: name, rawArguments, reason: 'unknown-tool' });
  }
  const result = (tool.parameters as z.ZodType).safeParse(parsed);
  if (!result.success) {
    throw new ToolCallError({ toolCallId: id, toolName: name, rawArguments, reason: 'invalid-arguments', issues: result.error.issues });
  }
  return { id, name, arguments: result.data as Record<string, unknown> };
}
