import type { LanguageModel, Message } from '@kit/llm';
import { renderTemplate } from '@kit/prompts';

/** How to keep a call within the model's context: drop the oldest turns, or summarize them. */
export interface ContextBudgetOptions {
  /** Tokens the messages may use; default: the model's context window less `reserveTokens`. */
  maxTokens?: number | undefined;
  /** Room left for the reply when `maxTokens` comes from the context window. Default 1,024. */
  reserveTokens?: number | undefined;
  /** `drop` (default) leaves the oldest turns out; `summarize` replaces them with a model-written summary. */
  strategy?: 'drop' | 'summarize' | undefined;
  /** `summarize`: the model that writes the summary (defaults to the conversation's). */
  summaryModel?: LanguageModel | undefined;
  /** `summarize`: the prompt, a conditional/Jinja template over `{{transcript}}`. */
  summaryTemplate?: string | undefined;
}

/** The prompt the `summarize` strategy uses when none is given; `{{transcript}}` is the dropped turns. */
export const DEFAULT_SUMMARY_TEMPLATE =
  'Summarize the conversation below in a few sentences, keeping names, numbers, decisions and open questions.\n\n{{transcript}}';

/** What `fitToBudget` did. */
export interface BudgetResult {
  /** The messages to send: the first system message, any summary, then the turns that fit. */
  messages: Message[];
  /** Messages left out of this call (still stored). */
  dropped: number;
  /** The summary that replaced them, when the strategy is `summarize`. */
  summary?: string | undefined;
  /** The model's token count for `messages`; above the budget when the newest turn alone does not fit. */
  tokens: number;
}

/**
 * Fits the messages of one call into a token budget, counting with the model's own counter.
 * The first system message and the newest turn always stay. Older turns go oldest first, and a
 * tool call leaves together with its results (an assistant message with tool calls and the tool
 * messages answering it form one unit), so the model never sees one without the other. Only the
 * request changes: stored nodes are never touched.
 */
export async function fitToBudget(model: LanguageModel, messages: Message[], options: ContextBudgetOptions = {}): Promise<BudgetResult> {
  const budget = options.maxTokens ?? (model.capabilities.contextWindow ?? Number.POSITIVE_INFINITY) - (options.reserveTokens ?? 1_024);
  const count = async (list: Message[]): Promise<number> => (await model.countTokens({ messages: list })).tokens;
  let tokens = await count(messages);
  if (tokens <= budget) return { messages, dropped: 0, tokens };

  const head = messages[0]?.role === 'system' ? [messages[0]] : [];
  const units = groupTurns(messages.slice(head.length));
  const kept = [...units];
  const droppedUnits: Message[][] = [];
  while (kept.length > 1) {
    droppedUnits.push(kept.shift()!);
    tokens = await count([...head, ...kept.flat()]);
    if (tokens <= budget) break;
  }
  const dropped = droppedUnits.flat();
  if (options.strategy !== 'summarize' || dropped.length === 0) {
    return { messages: [...head, ...kept.flat()], dropped: dropped.length, tokens };
  }
  const transcript = dropped.map((m) => `${m.role}: ${typeof m.content === 'string' ? m.content : m.content.map((p) => (p.type === 'text' ? p.text : '[image]')).join(' ')}`).join('\n');
  const summaryModel = options.summaryModel ?? model;
  const reply = await summaryModel.complete({
    messages: [{ role: 'user', content: renderTemplate(options.summaryTemplate ?? DEFAULT_SUMMARY_TEMPLATE, { transcript }, { mode: 'conditional' }) }],
  });
  const summaryMessage: Message = { role: 'system', content: `Summary of the earlier conversation: ${reply.text}` };
  const result = [...head, summaryMessage, ...kept.flat()];
  return { messages: result, dropped: dropped.length, summary: reply.text, tokens: await count(result) };
}

/** Splits messages into units that must stay together: a user turn, or an assistant turn with its tool results. */
export function groupTurns(messages: readonly Message[]): Message[][] {
  const units: Message[][] = [];
  for (const message of messages) {
    const last = units[units.length - 1];
    const previous = last?.[last.length - 1];
    const answersToolCall = message.role === 'tool' && previous !== undefined && (previous.role === 'tool' || (previous.role === 'assistant' && (previous.toolCalls?.length ?? 0) > 0));
    if (answersToolCall) last!.push(message);
    else units.push([message]);
  }
  return units;
}
