import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIServer, fsmReply, type ScriptedAnswer, type ScriptedFailure, type SeenRequest } from '../test-support/fake-openai-server.js';
import { startKit, type KitSession } from '../test-support/kit-process.js';
import { SUPPORT_MACHINE } from '../test-support/support-machine.js';
import { tempDir } from '../test-support/temp-dir.js';

// `kit run` as a user runs it: the built binary, a local OpenAI-compatible server, lines typed
// into stdin, Ctrl-C as a real SIGINT, and the SQLite file checked afterwards.

// The CLI loads the packages lazily (fast start); Nx's boundary rule then wants every import of them dynamic.
const { SqliteConversationStore } = await import('@kit/conversations/sqlite');

let dir: Awaited<ReturnType<typeof tempDir>>;
let server: FakeOpenAIServer;
let machineFile: string;
/** The session whose stdout a gated stream waits on. */
let watched: KitSession | undefined;

const KEY = 'test-key-not-a-secret-1234';

function answer(request: SeenRequest): ScriptedAnswer | ScriptedFailure {
  const text = request.userText.toLowerCase();
  if (request.kind === 'opening') return { text: 'Hello, this is the help desk. What is wrong?' };
  // A provider that quotes the key back in its error (OpenAI does, partly masked).
  if (text.includes('explode')) return { status: 400, message: `Invalid request for key ${KEY}` };
  if (request.kind === 'analysis') {
    if (text.includes('printer')) return { text: fsmReply('triage', { issue: 'printer' }, 'Sorry about the printer.') };
    if (text.includes('thanks')) return { text: fsmReply('done', {}, 'Bye!') };
    return { text: fsmReply(null, {}, 'What is wrong?') };
  }
  if (text.includes('printer')) {
    // The rest of the reply waits until the first piece is on the user's screen: it streams.
    return { text: ['Sorry about ', 'the printer. ', 'Sending it to triage.'], afterFirstPiece: () => watched!.waitForStdout('Sorry about ').then(() => undefined) };
  }
  if (text.includes('hang')) return { text: ['Let me think', ' never sent'], afterFirstPiece: () => new Promise<void>(() => undefined) };
  if (text.includes('thanks')) return { text: ['Glad to help. ', 'Bye!'] };
  return { text: ['Hi! ', 'What is wrong?'] };
}

function kitRun(args: string[]): KitSession {
  return startKit(['run', machineFile, '--model', 'openai:gpt-4o-mini', ...args], {
    cwd: dir.path,
    env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.baseUrl },
  });
}

function conversationIdOf(stderr: string): string {
  const id = /conversation (\S+) \(machine support\)/.exec(stderr)?.[1];
  if (id === undefined) throw new Error(`no conversation id in stderr:\n${stderr}`);
  return id;
}

beforeAll(async () => {
  dir = await tempDir('run');
  machineFile = await dir.file('support.json', JSON.stringify(SUPPORT_MACHINE, null, 2));
  server = await FakeOpenAIServer.start(answer);
});

afterAll(async () => {
  await server.close();
  await dir.remove();
});

describe('kit run', () => {
  it('streams replies, shows each state, saves every turn; Ctrl-C says how to resume; --resume continues from the stored state', async () => {
    const db = join(dir.path, 'chat.db');
    const kit = kitRun(['--store', `sqlite:${db}`]);
    watched = kit;
    await kit.waitForStdout('support: Hello, this is the help desk. What is wrong?\nstate: intake\n');
    const id = conversationIdOf(await kit.waitForStderr(/conversation \S+ \(machine support\)/));

    kit.writeLine('hello');
    await kit.waitForStdout('> hello\nsupport: Hi! What is wrong?\nstate: intake\n');
    kit.writeLine('My printer is broken');
    await kit.waitForStdout(
      '> My printer is broken\nsupport: Sorry about the printer. Sending it to triage.\nstate: intake -> triage (the issue is known)\ncontext: +issue = "printer"\n',
    );

    kit.child.kill('SIGINT');
    const ended = await kit.exited;
    expect(ended.code, ended.stderr).toBe(130);
    expect(ended.stderr).toContain('interrupted: finished turns are saved');
    expect(ended.stderr).toContain(`saved. resume with: kit run ${machineFile} --store sqlite:${db} --resume ${id}`);
    expect(ended.stdout + ended.stderr).not.toContain(KEY);
    expect(ended.stdout).not.toMatch(/\u001b\[/);

    // Every turn is in the file, with the state after it.
    const store = await SqliteConversationStore.open(db);
    try {
      const stored = (await store.load(id))!;
      expect(stored.metadata).toMatchObject({ fsmMachine: 'support' });
      const byId = new Map(stored.nodes.map((n) => [n.id, n]));
      const path = [];
      for (let node = byId.get(stored.activeNodeId); node !== undefined; node = node.parentId === null ? undefined : byId.get(node.parentId)) path.unshift(node);
      expect(path.map((n) => [n.message.role, n.message.content])).toEqual([
        ['system', ''],
        ['assistant', 'Hello, this is the help desk. What is wrong?'],
        ['user', 'hello'],
        ['assistant', 'Hi! What is wrong?'],
        ['user', 'My printer is broken'],
        ['assistant', 'Sorry about the printer. Sending it to triage.'],
      ]);
      // The turn's usage sums its two calls (the JSON decision, then the streamed reply), 50 input tokens each.
      expect(path.at(-1)!.metadata).toMatchObject({ fsm: { snapshot: { state: 'triage', context: { issue: 'printer' } } }, usage: { inputTokens: 100 } });
    } finally {
      await store.close();
    }

    // A new process continues from the stored state.
    const resumed = kitRun(['--store', `sqlite:${db}`, '--resume', id]);
    watched = resumed;
    await resumed.waitForStdout('support: Sorry about the printer. Sending it to triage.\nstate: triage\n');
    expect(await resumed.waitForStderr(`resuming conversation ${id} (machine support, turn 2)`)).toBeTruthy();
    resumed.writeLine('thanks, all good');
    const done = await resumed.exited;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('support: Glad to help. Bye!\nstate: triage -> done (the user is happy) (the conversation has ended)\n');
    expect(done.stderr).toContain('the conversation reached done, a terminal state');

    // A conversation left in a terminal state has nothing to continue.
    const requestsBefore = server.requests.length;
    const finished = await kitRun(['--store', `sqlite:${db}`, '--resume', id]).exited;
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stdout).toContain('state: done (the conversation has ended)\n');
    expect(finished.stderr).toContain('the conversation is in done, a terminal state');
    expect(server.requests.length).toBe(requestsBefore);

    // Streams were asked with usage, every call carried the key from the environment.
    const streams = server.requests.filter((r) => r.kind === 'reply');
    expect(streams.length).toBeGreaterThanOrEqual(3);
    for (const request of streams) expect(request.body.stream_options).toEqual({ include_usage: true });
    for (const request of server.requests) expect(request.authorization).toBe('Bearer test-key-not-a-secret-1234');
    expect(server.requests.some((r) => r.kind === 'analysis' && r.body.response_format?.type === 'json_schema')).toBe(true);
  });

  it('ends at once on Ctrl-C in the middle of a reply, without saving the unfinished turn', async () => {
    const db = join(dir.path, 'interrupted.db');
    const kit = kitRun(['--store', `sqlite:${db}`]);
    await kit.waitForStdout('state: intake\n');
    const id = conversationIdOf(kit.stderr);
    kit.writeLine('hang on');
    await kit.waitForStdout('support: Let me think');
    kit.child.kill('SIGINT');
    const ended = await kit.exited;
    expect(ended.code, ended.stderr).toBe(130);
    expect(ended.stderr).toContain(`--resume ${id}`);
    const store = await SqliteConversationStore.open(db);
    try {
      const stored = (await store.load(id))!;
      expect(stored.nodes.map((n) => n.message.content)).toEqual(['', 'Hello, this is the help desk. What is wrong?']);
    } finally {
      await store.close();
    }
  });

  it('ends on a failed turn with exit 3, the provider message redacted, and says how to resume', async () => {
    const kit = kitRun(['--store', `sqlite:${join(dir.path, 'failed.db')}`]);
    await kit.waitForStdout('state: intake\n');
    const id = conversationIdOf(kit.stderr);
    kit.writeLine('explode now');
    const ended = await kit.exited;
    expect(ended.code, ended.stderr).toBe(3);
    expect(ended.stderr).toMatch(/kit: the model call failed: .*Invalid request for key \[REDACTED\]\n/);
    expect(ended.stderr).toContain(`this turn was not saved\nsaved. resume with: kit run ${machineFile} --store sqlite:`);
    expect(ended.stderr).toContain(`--resume ${id}`);
    expect(ended.stdout + ended.stderr).not.toContain(KEY);
  });

  it('ends on /quit and on the end of input, saying how to resume', async () => {
    const quit = kitRun(['--store', `sqlite:${join(dir.path, 'quit.db')}`]);
    await quit.waitForStdout('state: intake\n');
    quit.writeLine('/quit');
    const quitEnd = await quit.exited;
    expect(quitEnd.code, quitEnd.stderr).toBe(0);
    expect(quitEnd.stderr).toMatch(/saved\. resume with: kit run .* --resume \S+/);

    const eof = kitRun(['--store', 'memory']);
    eof.child.stdin.end('hello\n');
    const eofEnd = await eof.exited;
    expect(eofEnd.code, eofEnd.stderr).toBe(0);
    expect(eofEnd.stdout).toContain('support: Hi! What is wrong?\nstate: intake\n');
    expect(eofEnd.stderr).toContain('not saved: a memory store is gone when kit exits');
  });
});
