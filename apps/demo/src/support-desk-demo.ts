import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ConversationTree } from '@kit/conversations';
import { SqliteConversationStore } from '@kit/conversations/sqlite';
import { messageText, type LanguageModel } from '@kit/llm';
import type { ExperimentReport } from '@kit/prompts';
import { conversationTreeView } from './conversation-tree-view.js';
import { costTable } from './cost-table.js';
import { DemoModels } from './demo-models.js';
import { experimentReportView } from './experiment-report-view.js';
import { fsmSnapshotOf } from './fsm-node-state.js';
import { machineView } from './machine-view.js';
import { PERSONA_EXPERIMENT, PERSONA_PROMPT, PERSONA_VERSIONS, PersonaExperiment } from './persona-experiment.js';
import { SHOWCASE_CUSTOMER, runShowcaseSession, type ShowcaseResult } from './showcase-session.js';
import { runSimulatedSessions, type SimulatedBatch } from './simulated-sessions.js';
import { SUPPORT_DESK_MACHINE_FILE, loadSupportDeskMachine } from './support-desk-machine.js';
import { heading, wrap, OUTPUT_WIDTH } from './text-layout.js';
import { fileTicket, scriptedTicketAgent, type TicketResult } from './ticket-notes-agent.js';
import { transcriptView } from './transcript-view.js';

/** Simulated sessions offline (enough for the report to decide), and with a real provider (cost!). */
export const OFFLINE_SESSIONS = 200;
export const PROVIDER_SESSIONS = 4;

export interface SupportDeskDemoOptions {
  /** Where the SQLite files go (created if missing). */
  dataDir: string;
  /** A provider's model; undefined runs offline on the scripted model. */
  model?: LanguageModel | undefined;
  /** Simulated sessions; default {@link OFFLINE_SESSIONS} offline, {@link PROVIDER_SESSIONS} with a provider. */
  sessions?: number | undefined;
  print: (line: string) => void;
}

export interface SupportDeskDemoResult {
  conversationsPath: string;
  promptsPath: string;
  showcase: ShowcaseResult;
  ticket: TicketResult;
  batch: SimulatedBatch;
  report: ExperimentReport;
  models: DemoModels;
}

/**
 * The support-desk demo: a declarative machine with an order-lookup handler, a persona prompt A/B
 * tested from a versioned library, one conversation stored in SQLite with an edit and a
 * regenerate, a code-first agent filing the ticket into working memory, a batch of simulated
 * sessions for the experiment, and the cost of it all. Prints each part under a heading.
 */
export async function runSupportDeskDemo(options: SupportDeskDemoOptions): Promise<SupportDeskDemoResult> {
  const { print } = options;
  const printAll = (lines: readonly string[]) => lines.forEach((line) => print(line));
  /** Prose, wrapped to the output width. */
  const say = (text: string) => printAll(wrap(text, OUTPUT_WIDTH, ''));
  const models = new DemoModels(options.model);
  const sessions = options.sessions ?? (models.offline ? OFFLINE_SESSIONS : PROVIDER_SESSIONS);
  await mkdir(options.dataDir, { recursive: true });
  const conversationsPath = join(options.dataDir, 'conversations.sqlite');
  const promptsPath = join(options.dataDir, 'prompts.sqlite');

  print(heading('1. The machine'));
  const machine = await loadSupportDeskMachine();
  say(
    `${machine.name} v${machine.version ?? '-'} from ${relative(process.cwd(), SUPPORT_DESK_MACHINE_FILE) || SUPPORT_DESK_MACHINE_FILE}: ${machine.states.size} states, validated on load. ` +
      'Two-pass runtime: the model proposes, the engine decides, then the reply is written from the new state. ' +
      'The handler "order-lookup" (hook context-update) puts the order system\'s answer under `order`. Transitions, in the order the engine tries them:',
  );
  printAll(machineView(machine));

  print(heading('2. Prompts and the experiment'));
  const experiment = await PersonaExperiment.create(promptsPath);
  const stopTracking = experiment.trackLedger(models.ledger);
  const conversations = await SqliteConversationStore.open(conversationsPath);
  try {
    say(`Versioned prompt library in ${promptsPath} (a SQLite PromptStore, seeded afresh each run so the report covers this run):`);
    for (const version of PERSONA_VERSIONS) printAll(wrap(`"${version.template}"`, OUTPUT_WIDTH, `  ${PERSONA_PROMPT}@${version.version} (${version.variant}): `, '    '));
    say(`Experiment ${PERSONA_EXPERIMENT}: ${PERSONA_VERSIONS.map((v) => v.variant).join(' vs ')}, 50/50, sticky per customer; success = resolved without escalation.`);

    print(heading('3. The showcased session'));
    const showcase = await runShowcaseSession({ machine, models, experiment, store: conversations });
    say(`Customer ${SHOWCASE_CUSTOMER} is served the "${showcase.persona.variant}" persona (version ${showcase.persona.version}). Every turn is stored in ${conversationsPath}.`);
    print('');
    printAll(transcriptView(showcase.transcript));
    print('');
    say(`Active branch: ${showcase.outcome.states.join(' -> ')}. A fresh runtime over the store finds the conversation in "${showcase.resumedState}".`);
    await experiment.recordOutcome(SHOWCASE_CUSTOMER, showcase.outcome.resolvedWithoutEscalation);

    print(heading('4. Ticket notes: a code-first agent with tools and working memory'));
    const stored = await conversations.load(showcase.conversationId);
    const activePath = stored === null ? [] : ConversationTree.fromSnapshot(stored).activePath().slice(1);
    const chat = activePath.map((node) => `${node.message.role === 'user' ? 'customer' : 'agent'}: ${messageText(node.message)}`).join('\n');
    const ticketModel = models.forStep({ phase: 'showcase', step: 'ticket notes', ...showcase.persona.callKeys }, () => scriptedTicketAgent(showcase.context));
    const ticket = await fileTicket({ model: ticketModel, store: conversations, conversationId: showcase.conversationId, transcript: chat });
    for (const call of ticket.toolCalls) printAll(wrap(`${call.toolName}(${JSON.stringify(call.arguments)}) -> ${call.status}: ${call.content}`, OUTPUT_WIDTH, '  tool  ', '        '));
    say("Working memory, saved under kit.memory in the conversation's metadata:");
    for (const bucket of ticket.buckets) printAll(wrap(bucket, OUTPUT_WIDTH, '  ', '      '));
    print(ticket.ticket === undefined ? 'Not filed: the guard found no summary or action in memory.' : 'notes -> filed: the guard found a summary and an action in memory.');

    print(heading('5. The conversation tree'));
    const final = await conversations.load(showcase.conversationId);
    if (final === null) throw new Error(`the conversation ${showcase.conversationId} is missing from ${conversationsPath}`);
    const tree = ConversationTree.fromSnapshot(final);
    const notes = new Map([
      [showcase.marks.editedMessage, '(edited)'],
      [showcase.marks.edit, '(the edit: a new branch)'],
      [showcase.marks.regeneratedReply, '(regenerated)'],
      [showcase.marks.regenerated, '(the regenerate)'],
    ]);
    say(`Conversation ${showcase.conversationId}: ${tree.size} messages, ${tree.branches().length} branches (● active path, ○ other branches).`);
    printAll(
      conversationTreeView(tree, {
        tag: (node) => (node.message.role === 'assistant' ? fsmSnapshotOf(node, final.metadata)?.state : undefined),
        note: (node) => notes.get(node.id),
      }),
    );

    print(heading('6. Simulated sessions'));
    say(
      models.offline
        ? `${sessions} SIMULATED customers, kept in memory: the scripted model plays the agent and the customers come from a seeded ` +
            'generator; under the concise persona more of them ask for a person (a made-up effect, so that the report has one to find).'
        : `${sessions} SIMULATED customers on the real provider (only a few: each one costs money), with scripted customer lines; ` +
            'the outcomes are what the model and the machine did.',
    );
    const batch = await runSimulatedSessions({ count: sessions, machine, models, experiment });
    printAll(
      batch.byVariant.map(
        (t) => `  ${t.variant.padEnd(8)} ${String(t.sessions).padStart(4)} sessions: ${t.resolved} resolved, ${t.escalated} escalated, ${t.unfinished} unfinished, ${t.failed} failed`,
      ),
    );
    for (const error of batch.errors) print(`  error: ${error}`);

    print(heading('7. Experiment report'));
    stopTracking();
    const report = await experiment.report();
    say(`From the prompt store: the ${sessions} simulated sessions and the showcased one.`);
    printAll(experimentReportView(report).flatMap((line) => (line.length > OUTPUT_WIDTH ? wrap(line, OUTPUT_WIDTH, '', '  ') : [line])));
    say(
      'The decision reads the always-valid (mSPRT) p-value, which stays valid however often the report is looked at; ' +
        'it asks for more evidence than the fixed-sample test, which is shown for reference only.',
    );

    print(heading('8. Tokens and cost'));
    say(
      `Every call went through the log, cost ledger, retry and timeout middleware (log events: ${Object.entries(models.logCounts()).map(([k, v]) => `${v} ${k}`).join(', ')}). ` +
        (models.offline ? "Offline, token counts are the scripted model's estimates, priced as gpt-4o-mini from the built-in pricing table." : `Prices of ${models.description} from the built-in pricing table.`),
    );
    print('');
    printAll(
      costTable(models.ledger, {
        calls: { keys: { phase: 'showcase' } },
        groups: batch.byVariant.map((t) => ({ label: `simulated, ${t.variant}`, filter: { keys: { phase: 'simulated', 'kit.variant': t.variant } } })),
      }),
    );

    return { conversationsPath, promptsPath, showcase, ticket, batch, report, models };
  } finally {
    stopTracking();
    await conversations.close();
    await experiment.close();
  }
}
