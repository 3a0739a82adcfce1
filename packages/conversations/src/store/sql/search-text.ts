import { messageText, type Message } from '@kit/llm';

/**
 * The text a node is searched by, as the SQL stores keep it in a column: the message text (string
 * content, or a user message's text parts) lower-cased in JavaScript. A search is a plain
 * substring test of the lower-cased query against it, so the query is literal text (no `%` or `_`
 * meaning), and case folding is JavaScript's on every backend, the same as the memory store's.
 */
export function searchableText(message: Message): string {
  return messageText(message).toLowerCase();
}
