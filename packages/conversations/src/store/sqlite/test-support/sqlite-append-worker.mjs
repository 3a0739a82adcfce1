// A child process of the SQLite crash and concurrency tests, in plain JavaScript so that `node`
// runs it as it is. It imports the store from the bundle the test built from source
// (bundle-sqlite-store.ts), opens its OWN connection to the database, and prints one line per
// event. Output goes through fs.writeSync: a line is in the pipe before the next append starts,
// so a line the parent read is an append that was acknowledged.
//
//   node sqlite-append-worker.mjs <bundle URL> <JSON config>
//
// config.mode "loop": print `ready`, wait for a `go` line on stdin (so the parent can start the
//   next worker while this one runs), then append one node after another to
//   config.conversationId, printing `acked <version> <nodeId>` after each, until killed.
// config.mode "race": for each stdin line `go <round> <expectedVersion> <parentId> <seq>`, append
//   the node `<config.name>-<round>` from that version and print one JSON line: `{"round", "ok":
//   true, "version"}` or `{"round", "conflict": true, "actualVersion"}`. Exits when stdin ends.
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';

const [bundleUrl, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson);
const { SqliteConversationStore } = await import(bundleUrl);

function print(line) {
  writeSync(1, `${line}\n`);
}

function node(id, parentId, seq, text) {
  return { schemaVersion: '1.0', id, parentId, seq, message: { role: 'user', content: text }, createdAt: new Date().toISOString(), metadata: {} };
}

if (config.mode === 'loop') {
  print('ready');
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  while ((await lines.next()).value !== 'go');
  const store = await SqliteConversationStore.open(config.path);
  const snapshot = await store.load(config.conversationId);
  let version = snapshot.version;
  let last = snapshot.nodes.at(-1);
  for (;;) {
    const seq = last.seq + 1;
    const appended = node(`n${seq}`, last.id, seq, `append ${seq} from process ${process.pid}`);
    const header = await store.appendNodes(config.conversationId, { expectedVersion: version, nodes: [appended], activeNodeId: appended.id });
    version = header.version;
    last = appended;
    print(`acked ${version} ${appended.id}`);
  }
} else if (config.mode === 'race') {
  const store = await SqliteConversationStore.open(config.path);
  print('ready');
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, round, expectedVersion, parentId, seq] = line.split(' ');
    if (command !== 'go') continue;
    const raced = node(`${config.name}-${round}`, parentId, Number(seq), `${config.name} in round ${round}`);
    try {
      const header = await store.appendNodes(config.conversationId, { expectedVersion: Number(expectedVersion), nodes: [raced], activeNodeId: raced.id });
      print(JSON.stringify({ round: Number(round), ok: true, version: header.version }));
    } catch (error) {
      // The bundle's own error classes: recognise a conflict by its reason.
      if (error?.reason !== 'conflict') throw error;
      print(JSON.stringify({ round: Number(round), conflict: true, actualVersion: error.actualVersion }));
    }
  }
  await store.close();
} else {
  throw new Error(`unknown mode ${config.mode}`);
}
