// A child process for the file store's crash and race tests (bundled by `bundleTestWorker`).
//   node worker.mjs append <dir> <conversationId> <compactEvery>
//     appends one node at a time forever, printing "ack <version> <nodeId>" after each acknowledged append.
//   node worker.mjs race <dir> <conversationId>
//     loads the conversation, prints "ready", waits for a line on stdin, appends one node from the
//     version it loaded, and prints "ack <version> <nodeId>" or "conflict".
import { once } from 'node:events';
import { ConversationConflictError } from '../conversation-errors.js';
import { FileConversationStore } from '../file/file-conversation-store.js';
import { testNode } from './conversation-node-fixtures.js';

const [mode, directory, conversationId, compactEvery] = process.argv.slice(2);
if (directory === undefined || conversationId === undefined) throw new Error('usage: worker.mjs append|race <dir> <conversationId> [compactEvery]');

const store = await FileConversationStore.open(directory, {
  compactEvery: compactEvery === undefined ? undefined : Number(compactEvery),
  onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
});
const snapshot = await store.load(conversationId);
if (snapshot === null) throw new Error(`no conversation ${conversationId}`);
let version = snapshot.version;
let parent = snapshot.nodes.at(-1)!;
let seq = parent.seq;

function nextNode() {
  seq++;
  // Sizes vary from a few bytes to ~200 KB, so some writes take long enough to be cut by a kill.
  const size = seq % 10 === 0 ? 200_000 : Math.floor(Math.random() * 2_000);
  return testNode({ id: `p${process.pid}-${seq}`, parentId: parent.id, seq, text: `${seq} ${'x'.repeat(size)}` });
}

if (mode === 'append') {
  for (;;) {
    const node = nextNode();
    const header = await store.appendNodes(conversationId, { expectedVersion: version, nodes: [node], activeNodeId: node.id });
    version = header.version;
    parent = node;
    process.stdout.write(`ack ${version} ${node.id}\n`);
  }
} else if (mode === 'race') {
  process.stdout.write('ready\n');
  await once(process.stdin, 'data');
  const node = nextNode();
  try {
    const header = await store.appendNodes(conversationId, { expectedVersion: version, nodes: [node], activeNodeId: node.id });
    process.stdout.write(`ack ${header.version} ${node.id}\n`);
  } catch (error) {
    if (!(error instanceof ConversationConflictError)) throw error;
    process.stdout.write('conflict\n');
  }
  await store.close();
  process.stdin.destroy();
} else {
  throw new Error(`unknown mode ${mode}`);
}
