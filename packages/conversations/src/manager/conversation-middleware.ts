import type { AssistantMessage, Message } from '@kit/llm';

/** What a conversation middleware knows about the call it takes part in. */
export interface ConversationCallContext {
  /** The id of the conversation the call belongs to. */
  conversationId: string;
  /** The conversation's metadata, as stored. */
  metadata: Readonly<Record<string, unknown>>;
  /** Per-call scratch space middleware may share (e.g. a logger's timer). */
  readonly state: Map<string, unknown>;
}

/**
 * A layer around the conversation's requests and responses, in order: `beforeRequest` runs
 * first-to-last on the messages sent (never on stored nodes), `transformStreamText` on every
 * streamed text delta, and `afterResponse` last-to-first on the assistant message before it is
 * stored — so redaction there keeps secrets out of storage. Throwing stops the call: nothing
 * is stored for it.
 */
export interface ConversationMiddleware {
  /** The layer's name, for errors. */
  readonly name: string;
  /** Rewrites the messages about to be sent (stored nodes are never touched); runs first-to-last. */
  beforeRequest?(messages: Message[], context: ConversationCallContext): Message[] | Promise<Message[]>;
  /** Synchronous, per delta: it runs in the stream's hot path. */
  transformStreamText?(text: string, context: ConversationCallContext): string;
  /** Rewrites the assistant message before it is stored; runs last-to-first. */
  afterResponse?(message: AssistantMessage, context: ConversationCallContext): AssistantMessage | Promise<AssistantMessage>;
}

export async function runBeforeRequest(middleware: readonly ConversationMiddleware[], messages: Message[], context: ConversationCallContext): Promise<Message[]> {
  let current = messages;
  for (const layer of middleware) if (layer.beforeRequest) current = await layer.beforeRequest(current, context);
  return current;
}

export async function runAfterResponse(
  middleware: readonly ConversationMiddleware[],
  message: AssistantMessage,
  context: ConversationCallContext,
): Promise<AssistantMessage> {
  let current = message;
  for (let i = middleware.length - 1; i >= 0; i--) {
    const layer = middleware[i]!;
    if (layer.afterResponse) current = await layer.afterResponse(current, context);
  }
  return current;
}

/** Composes the stream text transforms once per call, or returns undefined when there are none. */
export function composeStreamText(middleware: readonly ConversationMiddleware[], context: ConversationCallContext): ((text: string) => string) | undefined {
  const layers = middleware.filter((m) => m.transformStreamText !== undefined);
  if (layers.length === 0) return undefined;
  return (text) => {
    let current = text;
    for (let i = layers.length - 1; i >= 0; i--) current = layers[i]!.transformStreamText!(current, context);
    return current;
  };
}
