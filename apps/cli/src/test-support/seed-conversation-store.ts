
/** The ids `seedConversationStore` wrote. */
export interface SeededConversations {
  /** Question, two answers (a regeneration), then an edited question and its answer: active. */
  branched: string;
  /** A plain exchange tagged `team=billing`. */
  billing: string;
}

/**
 * A SQLite conversation store as an application leaves it, written through ConversationManager:
 * a conversation with a regenerated reply and an edit (three branches), and a second one.
 */
export async function seedConversationStore(path: string): Promise<SeededConversations> {
  // Dynamic: the CLI loads these packages lazily, and Nx's boundary rule wants every import of them so.
  const [{ ConversationManager }, { SqliteConversationStore }, { scriptedModel }] = await Promise.all([
    import('@kit/conversations'),
    import('@kit/conversations/sqlite'),
    import('@kit/llm/testing'),
  ]);
  const store = await SqliteConversationStore.open(path);
  try {
    const model = scriptedModel(['BM25 ranks documents by term frequency.', 'It scores keyword matches, weighting rare words more.', 'A ranking function.', 'Your invoice is attached.']);
    const chat = await ConversationManager.create({ id: 'conv-branched', model, store, systemPrompt: 'Answer in one sentence.', metadata: { team: 'search' } });
    const question = await chat.addMessage('What is BM25?');
    await chat.complete();
    await chat.regenerate();
    await chat.edit(question.id, 'What is BM25, briefly?');
    await chat.complete();

    const billing = await ConversationManager.create({ id: 'conv-billing', model, store, metadata: { team: 'billing', priority: 2 } });
    await billing.addMessage('Where is my invoice?');
    await billing.complete();
    return { branched: chat.id, billing: billing.id };
  } finally {
    await store.close();
  }
}
