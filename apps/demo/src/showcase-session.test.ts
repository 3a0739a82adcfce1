import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationTree, MemoryConversationStore } from '@kit/conversations';
import { messageText } from '@kit/llm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoModels } from './demo-models.js';
import { fsmSnapshotOf } from './fsm-node-state.js';
import { PersonaExperiment } from './persona-experiment.js';
import { SHOWCASE_LINES, runShowcaseSession, type ShowcaseResult } from './showcase-session.js';
import { loadSupportDeskMachine } from './support-desk-machine.js';

describe('the showcased session', () => {
  let dir: string;
  let store: MemoryConversationStore;
  let result: ShowcaseResult;
  let models: DemoModels;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kit-showcase-'));
    const experiment = await PersonaExperiment.create(join(dir, 'prompts.sqlite'));
    store = new MemoryConversationStore();
    models = new DemoModels(undefined);
    try {
      result = await runShowcaseSession({ machine: await loadSupportDeskMachine(), models, experiment, store });
    } finally {
      await experiment.close();
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('edits the mistyped message into a sibling branch that resumes from the state before it', async () => {
    const stored = (await store.load(result.conversationId))!;
    const tree = ConversationTree.fromSnapshot(stored);
    const edited = tree.get(result.marks.editedMessage)!;
    const edit = tree.get(result.marks.edit)!;
    expect(messageText(edited.message)).toBe(SHOWCASE_LINES.beforeEdit[1]);
    expect(messageText(edit.message)).toBe(SHOWCASE_LINES.editedTo);
    expect(edit.parentId).toBe(edited.parentId);
    // The abandoned branch stayed in identify; the edited one went on.
    expect(fsmSnapshotOf(tree.children(edited.id)[0]!)?.state).toBe('identify');
    expect(fsmSnapshotOf(tree.children(edit.id)[0]!)?.state).toBe('diagnose');
  });

  it('regenerates the last reply as a sibling on the active path, and the machine still knows its state', async () => {
    const stored = (await store.load(result.conversationId))!;
    const tree = ConversationTree.fromSnapshot(stored);
    const regenerated = tree.get(result.marks.regenerated)!;
    expect(regenerated.parentId).toBe(tree.get(result.marks.regeneratedReply)!.parentId);
    expect(tree.activeNode.id).toBe(regenerated.id);
    expect(fsmSnapshotOf(regenerated, stored.metadata)?.state).toBe('closed');
    expect(result.resumedState).toBe('closed');
    expect(result.outcome).toMatchObject({ states: ['greeting', 'identify', 'diagnose', 'resolve', 'closed'], resolvedWithoutEscalation: true });
    expect(result.context).toMatchObject({ order_id: 'A-1002', resolution: 'replacement' });
  });

  it('tells the story in the transcript and labels every call in the ledger', () => {
    const kinds = result.transcript.map((entry) => entry.kind);
    expect(kinds.filter((k) => k === 'step')).toHaveLength(2);
    expect(result.transcript.filter((e) => e.kind === 'customer')).toHaveLength(5);
    expect(result.transcript.some((e) => e.kind === 'event' && e.text.startsWith('engine refused'))).toBe(true);
    expect(result.transcript.some((e) => e.kind === 'event' && e.text.startsWith('retry:'))).toBe(true);
    const steps = models.ledger.entries().map((e) => e.keys['step']);
    expect(new Set(steps)).toEqual(new Set(['conversation', 'regenerate']));
    expect(models.ledger.entries().every((e) => e.keys['kit.unit'] === 'customer-ada' && e.keys['kit.variant'] === result.persona.variant)).toBe(true);
  });
});
