import type { ResponseReasoningItem } from 'openai/resources/responses/responses';
// What marks a reasoning part's `signature` as a Responses API reasoning item lives in core, so
// that other adapters (Anthropic) can tell such signatures are not theirs.
import { OPENAI_RESPONSES_REASONING_PREFIX, type ReasoningPart } from '../types/message.js';

export { OPENAI_RESPONSES_REASONING_PREFIX };

/** The parts of a Responses reasoning item that a later request can send back. */
export interface OpenAIResponsesReasoningState {
  /** The item id (`rs_...`). */
  id: string;
  /** The model's reasoning, encrypted by OpenAI; absent when the API did not return it. */
  encryptedContent: string | undefined;
}

/**
 * The signature of a reasoning part made from a Responses reasoning item:
 * `openai-responses:<item id>:<encrypted content>` (the content may be empty). Item ids hold no
 * colon, so the first colon after the prefix ends the id and the rest is the content, whatever it holds.
 */
export function encodeOpenAIResponsesReasoning(state: OpenAIResponsesReasoningState): string {
  return `${OPENAI_RESPONSES_REASONING_PREFIX}${state.id}:${state.encryptedContent ?? ''}`;
}

/** The item a signature came from, or undefined when the signature is not this adapter's (another provider's reasoning). */
export function decodeOpenAIResponsesReasoning(signature: string | undefined): OpenAIResponsesReasoningState | undefined {
  if (signature === undefined || !signature.startsWith(OPENAI_RESPONSES_REASONING_PREFIX)) return undefined;
  const rest = signature.slice(OPENAI_RESPONSES_REASONING_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0) return undefined;
  const encrypted = rest.slice(colon + 1);
  return { id: rest.slice(0, colon), encryptedContent: encrypted === '' ? undefined : encrypted };
}

/** The text of a reasoning item: its summary parts, a blank line between each. */
export function reasoningSummaryText(item: Pick<ResponseReasoningItem, 'summary'>): string {
  return (item.summary ?? [])
    .map((part) => part.text)
    .filter((text) => text !== '')
    .join('\n\n');
}

/** A reasoning output item as one Kit reasoning part: its summary as text, the item in the signature. */
export function fromOpenAIResponsesReasoningItem(item: ResponseReasoningItem): ReasoningPart {
  return {
    type: 'reasoning',
    text: reasoningSummaryText(item),
    signature: encodeOpenAIResponsesReasoning({ id: item.id, encryptedContent: item.encrypted_content ?? undefined }),
  };
}

/**
 * A reasoning part as a reasoning input item, or undefined when it cannot be sent back: another
 * provider's reasoning, or one without encrypted content. Only the encrypted content carries the
 * reasoning, and it is sent without the item id: an id makes the API look the item up in its
 * store (which fails with `store: false`) and pair it with a following item by id, which Kit's
 * messages do not keep.
 */
export function toOpenAIResponsesReasoningItem(part: ReasoningPart): ResponseReasoningItem | undefined {
  const state = decodeOpenAIResponsesReasoning(part.signature);
  if (state?.encryptedContent === undefined) return undefined;
  // The SDK types `id` as required; the API takes an encrypted item without one (see above).
  const item = {
    type: 'reasoning',
    encrypted_content: state.encryptedContent,
    summary: part.text === '' ? [] : [{ type: 'summary_text', text: part.text }],
  } as Omit<ResponseReasoningItem, 'id'>;
  return item as ResponseReasoningItem;
}
