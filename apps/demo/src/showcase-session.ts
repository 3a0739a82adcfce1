import { ConversationManager, ConversationTree, type ConversationMiddleware, type ConversationStore } from '@kit/conversations';
import { FSM_SNAPSHOT_METADATA_KEY, type ConverseResult, type FsmContext, type FsmRuntime, type Machine } from '@kit/fsm';
import { messageText } from '@kit/llm';
import { scriptedModel } from '@kit/llm/testing';
import { OFFLINE_MODEL_ID, type DemoModels } from './demo-models.js';
import { fsmSnapshotOf, statesAlongActivePath } from './fsm-node-state.js';
import type { OrderLookupListener } from './order-lookup-handler.js';
import type { OrderLookup } from './order-table.js';
import type { PersonaChoice, PersonaExperiment } from './persona-experiment.js';
import { scriptedDeskModel, sessionOutcome, supportDeskRuntime, type SessionOutcome } from './support-desk.js';

/** The showcased customer: the experiment's unit, so their persona variant is the same every run. */
export const SHOWCASE_CUSTOMER = 'customer-ada';

/** What the showcased customer says: a typo in the order id, which they then fix by editing that message. */
export const SHOWCASE_LINES = {
  beforeEdit: ["Hi! My rain jacket still hasn't arrived.", "It's A-1020."],
  editedTo: "It's A-1002.",
  afterEdit: ['Yes, and I need it for a hike on Saturday.', 'A replacement, please.'],
} as const;

/** One line of the printed transcript. */
export type TranscriptEntry =
  | { kind: 'agent'; state: string; text: string }
  | { kind: 'customer'; text: string }
  /** What the machine and its handlers did during a turn. */
  | { kind: 'event'; text: string }
  /** A step on the stored tree: the edit, the regenerate. */
  | { kind: 'step'; text: string };

export interface ShowcaseResult {
  conversationId: string;
  persona: PersonaChoice;
  transcript: TranscriptEntry[];
  /** Node ids worth pointing at in the tree. */
  marks: { editedMessage: string; edit: string; regeneratedReply: string; regenerated: string };
  /** Along the active path (the edited branch). */
  outcome: SessionOutcome;
  /** The context on the active path's last reply. */
  context: FsmContext;
  /** The state a fresh runtime finds the stored conversation in, after the regenerate. */
  resumedState: string;
}

function describeLookup(result: OrderLookup): string {
  if (!result.found) return `order system: no order ${result.id}`;
  const status = result.status === 'in-transit' ? `in transit, ${result.daysLate} days late` : 'delivered';
  return `order system: ${result.id} is a ${result.item}, ${status}, ${result.refundable ? 'refundable' : 'final sale'}`;
}

function describeTurn(result: ConverseResult): string[] {
  const events = result.refusals.map((refusal) => `engine refused: ${refusal.message}`);
  if (result.transition !== undefined) {
    const { from, to, automatic, description } = result.transition;
    events.push(`${from} -> ${to} (${automatic ? `taken by the rules: ${description}` : 'proposed by the model, conditions hold'})`);
  }
  return events;
}

/** Speaks as the conversation's persona when a reply is written outside the machine (a regenerate). */
function speakAs(persona: string): ConversationMiddleware {
  const instructions = `You are ${persona}. Write your last message to the customer again, in other words, keeping every fact. Reply with the message text only.`;
  return { name: 'speak-as-persona', beforeRequest: (messages) => [{ role: 'system', content: instructions }, ...messages] };
}

/** The offline regenerate: another wording of the closing message, from the data the conversation gathered. */
function alternativeClosing(context: FsmContext): string {
  const order = context['order'] as OrderLookup | undefined;
  const item = order?.found === true ? order.item : 'order';
  if (context['resolution'] === 'replacement') return `All set: a new ${item} leaves our warehouse by express today. Thank you for bearing with us!`;
  if (context['resolution'] === 'refund') return `All set: your refund for the ${item} is on its way. Thank you for bearing with us!`;
  return 'Thanks again for reaching out. Take care!';
}

async function loadTree(store: ConversationStore, conversationId: string): Promise<{ tree: ConversationTree; metadata: Record<string, unknown> }> {
  const stored = await store.load(conversationId);
  if (stored === null) throw new Error(`the conversation ${conversationId} is not in the store`);
  return { tree: ConversationTree.fromSnapshot(stored), metadata: stored.metadata };
}

/**
 * The showcased session, stored in `store`: the customer gives a mistyped order id (the engine
 * refuses to move on: the lookup found nothing), then edits that message, which starts a new
 * branch from the reply before it; the machine resumes from the snapshot stored on that reply and
 * the case is settled on the new branch. Last, the closing reply is regenerated: the first wording
 * stays as a sibling.
 */
export async function runShowcaseSession(options: { machine: Machine; models: DemoModels; experiment: PersonaExperiment; store: ConversationStore }): Promise<ShowcaseResult> {
  const { machine, models, experiment, store } = options;
  const persona = await experiment.personaFor(SHOWCASE_CUSTOMER);
  const transcript: TranscriptEntry[] = [];
  const onLookup: OrderLookupListener = ({ result }) => transcript.push({ kind: 'event', text: describeLookup(result) });
  // One model for every turn of the conversation, whichever runtime sends them. Offline, its
  // first call is rate-limited, for the retry middleware to absorb.
  const model = models.forStep({ phase: 'showcase', step: 'conversation', ...persona.callKeys }, () => scriptedDeskModel({ failFirst: true }));
  const newRuntime = () => supportDeskRuntime({ machine, persona: persona.content, model, store, onLookup });

  const say = async (runtime: FsmRuntime, conversationId: string, text: string) => {
    transcript.push({ kind: 'customer', text });
    const result = await runtime.converse(conversationId, text);
    for (const event of describeTurn(result)) transcript.push({ kind: 'event', text: event });
    transcript.push({ kind: 'agent', state: result.state, text: result.message });
    return result;
  };

  let runtime = newRuntime();
  const started = await runtime.start({}, { metadata: { customer: SHOWCASE_CUSTOMER, personaVariant: persona.variant } });
  const conversationId = started.conversationId;
  const retries = models.logEvents.filter((event) => event.event === 'retry');
  for (const event of retries) transcript.push({ kind: 'event', text: `retry: the call was rate-limited; the retry middleware tried again after ${event.event === 'retry' ? event.delayMs : 0} ms` });
  transcript.push({ kind: 'agent', state: started.state, text: started.message });
  for (const line of SHOWCASE_LINES.beforeEdit) await say(runtime, conversationId, line);

  // The edit: make the reply before the mistyped message active again and send the corrected
  // text from there. The new user message is a sibling of the old one, and the runtime resumes
  // from the snapshot stored on that reply, so the branch has its own state and context.
  const { tree } = await loadTree(store, conversationId);
  const editedMessage = tree.get(tree.activeNode.parentId!)!;
  const branchPoint = editedMessage.parentId!;
  const chat = await ConversationManager.resume(conversationId, { model, store });
  await chat.switchTo(branchPoint);
  runtime = newRuntime(); // the first runtime's copy of the conversation predates the switch
  const branchState = (await runtime.getSnapshot(conversationId)).state;
  transcript.push({
    kind: 'step',
    text: `edit: "${messageText(editedMessage.message)}" becomes "${SHOWCASE_LINES.editedTo}", a new branch from the reply before it (state ${branchState})`,
  });
  await say(runtime, conversationId, SHOWCASE_LINES.editedTo);
  const edit = (await loadTree(store, conversationId)).tree.activeNode.parentId!;
  for (const line of SHOWCASE_LINES.afterEdit) await say(runtime, conversationId, line);

  // The regenerate: another reply under the same customer message, through ConversationManager.
  // The machine's snapshot of the first reply is saved for the new one, so the runtime resumes there.
  const before = await loadTree(store, conversationId);
  const regeneratedReply = before.tree.activeNode;
  const snapshot = fsmSnapshotOf(regeneratedReply, before.metadata);
  if (snapshot === undefined) throw new Error('the last reply carries no machine snapshot');
  const regenerateModel = models.forStep({ phase: 'showcase', step: 'regenerate', ...persona.callKeys }, () =>
    scriptedModel([alternativeClosing(snapshot.context)], { modelId: OFFLINE_MODEL_ID }),
  );
  const regenerating = await ConversationManager.resume(conversationId, { model: regenerateModel, store, middleware: [speakAs(persona.content)] });
  const regenerated = await regenerating.regenerate(regeneratedReply.id);
  await regenerating.updateMetadata({ [FSM_SNAPSHOT_METADATA_KEY]: { nodeId: regenerated.node.id, snapshot } });
  transcript.push({ kind: 'step', text: 'regenerate: another wording of the last reply; the first stays as its sibling' });
  transcript.push({ kind: 'agent', state: snapshot.state, text: messageText(regenerated.node.message) });

  const after = await loadTree(store, conversationId);
  const states = statesAlongActivePath(after.tree, after.metadata);
  const resumedState = (await newRuntime().getSnapshot(conversationId)).state;
  return {
    conversationId,
    persona,
    transcript,
    marks: { editedMessage: editedMessage.id, edit, regeneratedReply: regeneratedReply.id, regenerated: regenerated.node.id },
    outcome: sessionOutcome(states, machine.states.get(snapshot.state)?.terminal === true),
    context: snapshot.context,
    resumedState,
  };
}
