import type { ChatResponse, ToolCall as OllamaToolCall } from 'ollama';
import type { ProviderToolCall } from '../create-language-model.js';
import type { FinishReason, Usage } from '../types/response.js';

/**
 * Kit's finish reason for Ollama's `done_reason`. Ollama reports `stop` even when it returned tool
 * calls, so the calls decide. `load`/`unload` answer a request that only (un)loaded the model.
 * Servers before 0.1.38 sent no `done_reason` at all; a finished reply then ended normally.
 */
export function finishReasonFrom(doneReason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls) return 'tool-calls';
  switch (doneReason) {
    case undefined:
    case '':
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    default:
      return 'other';
  }
}

/** Usage from the final message. Ollama leaves a count out when it is zero (a cached prompt). */
export function usageFrom(reply: Partial<ChatResponse> | undefined): Usage {
  const inputTokens = reply?.prompt_eval_count ?? 0;
  const outputTokens = reply?.eval_count ?? 0;
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

/** Ollama's timings (in nanoseconds) and reason, kept as provider metadata. */
export function metadataFrom(reply: Partial<ChatResponse>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields = {
    createdAt: reply.created_at,
    doneReason: reply.done_reason,
    totalDurationNs: reply.total_duration,
    loadDurationNs: reply.load_duration,
    promptEvalDurationNs: reply.prompt_eval_duration,
    evalDurationNs: reply.eval_duration,
  };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out;
}

/**
 * Ollama's tool calls, which have no ids: `call_<n>` numbers them in order within one reply, so
 * the ids are stable for the same reply and unique within it. Arguments arrive already parsed.
 */
export function toolCallsFrom(calls: readonly OllamaToolCall[] | undefined, firstIndex = 0): ProviderToolCall[] {
  return (calls ?? []).map((call, i): ProviderToolCall => {
    const id = `call_${firstIndex + i}`;
    const args: unknown = call.function.arguments;
    // Defensive: arguments sent as a JSON string are parsed and checked by the core.
    if (typeof args === 'string') return { id, name: call.function.name, rawArguments: args };
    return { id, name: call.function.name, arguments: (args ?? {}) as Record<string, unknown> };
  });
}

/** The arguments of a provider tool call as JSON text, for a stream's argument delta. */
export function argumentsText(call: ProviderToolCall): string {
  return 'rawArguments' in call ? call.rawArguments : JSON.stringify(call.arguments);
}
