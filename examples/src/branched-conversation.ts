/**
 * A branched conversation: @kit/conversations.
 *
 * A conversation stored in SQLite (a temporary folder): a question and its answer, a regenerate
 * (the first answer stays as a sibling branch), an edit of the question (a new branch from the
 * root), a switch back to the first branch, the whole tree with each node's address, and the
 * conversation resumed from the file as another process would.
 *
 * Run: npm run example -w @kit/examples -- branched-conversation
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationManager, ConversationTree, type ConversationNode } from '@kit/conversations';
import { SqliteConversationStore } from '@kit/conversations/sqlite';
import { createModel, messageText, modelFromEnvironment } from '@kit/llm';
import { scriptedModel } from '@kit/llm/testing';

const modelName = modelFromEnvironment();
const model =
  modelName === undefined
    ? scriptedModel(
        [
          'BM25 ranks documents by how often the query words appear, weighting rare words more.',
          'BM25 is a keyword ranking function used by search engines.',
          'A keyword ranking formula.',
        ],
        { modelId: 'gpt-4o-mini' },
      )
    : await createModel(modelName);

const dir = await mkdtemp(join(tmpdir(), 'kit-branched-'));
const path = join(dir, 'conversations.sqlite');
const store = await SqliteConversationStore.open(path);
try {
  const chat = await ConversationManager.create({ model, store, systemPrompt: 'Answer in one sentence.', metadata: { example: 'branched-conversation' } });
  console.log(`stored in ${path}, conversation ${chat.id}`);

  const question = await chat.addMessage('What is BM25?');
  const first = await chat.complete();
  console.log(`answer ${chat.addressOf(first.node.id)}: ${first.response.text}`);
  const second = await chat.regenerate();
  console.log(`regenerate ${chat.addressOf(second.node.id)}: ${second.response.text}`);
  await chat.edit(question.id, 'What is BM25, in five words?');
  const third = await chat.complete();
  console.log(`edit, then answer ${chat.addressOf(third.node.id)}: ${third.response.text}`);
  await chat.switchTo(first.node.id);
  console.log(`switched back: the model now sees ${chat.history().map((m) => m.role).join(' > ')} ending "${messageText(chat.history().at(-1)!)}"`);

  // Another process would do just this: open the file, resume by id.
  const reopened = await SqliteConversationStore.open(path);
  try {
    const stored = await reopened.load(chat.id);
    const tree = ConversationTree.fromSnapshot(stored!);
    const active = new Set(tree.activePath().map((node) => node.id));
    console.log(`tree (${tree.size} nodes, ${tree.branches().length} branches; * marks the active path):`);
    const draw = (node: ConversationNode, depth: number): void => {
      const address = node.parentId === null ? 'root' : tree.addressOf(node.id);
      console.log(`${'  '.repeat(depth)}${active.has(node.id) ? '*' : '-'} ${address} ${node.message.role}: ${messageText(node.message)}`);
      for (const child of tree.children(node.id)) draw(child, depth + 1);
    };
    draw(tree.root, 1);
    const resumed = await ConversationManager.resume(chat.id, { model, store: reopened });
    const usage = resumed.usage();
    console.log(`resumed: ${resumed.history().length} messages on the active path; ${usage.activePath.calls} call(s) on it, ${usage.abandoned.calls} on other branches, $${(usage.activePath.costUsd + usage.abandoned.costUsd).toFixed(6)} in all`);
  } finally {
    await reopened.close();
  }
} finally {
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
