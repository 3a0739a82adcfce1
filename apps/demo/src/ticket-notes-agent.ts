import type { ConversationStore } from '@kit/conversations';
import { AgentError, defineAgent, defineAgentTool, storeMemoryPersistence, type ToolCallOutcome } from '@kit/fsm';
import type { LanguageModel } from '@kit/llm';
import { scriptedModel, type ScriptedModel } from '@kit/llm/testing';
import { z } from 'zod';
import { OFFLINE_MODEL_ID } from './demo-models.js';
import { lookUpOrder, type OrderLookup } from './order-table.js';

/** The working-memory buckets the ticket is written into. */
export const TICKET_BUCKETS = { summary: 0, order: 1, action: 2 } as const;

/** A filed ticket: the three buckets as the agent left them. */
export interface TicketNotes {
  summary: string;
  order: string;
  action: string;
}

export interface TicketResult {
  /** Undefined when the agent left the summary or the action empty (the guard refused to file). */
  ticket: TicketNotes | undefined;
  toolCalls: ToolCallOutcome[];
  /** The agent's last words. */
  answer: string;
  /** Non-empty working-memory buckets, as `[index] text`. */
  buckets: string[];
}

const SYSTEM_PROMPT = [
  'You file support tickets from finished customer conversations.',
  'Check the order with lookup_order, then write the ticket into working memory with set_memory:',
  `bucket ${TICKET_BUCKETS.summary}: a one-line summary; bucket ${TICKET_BUCKETS.order}: the order facts; bucket ${TICKET_BUCKETS.action}: what was done or is needed next.`,
  'Reply "filed" when the three buckets are written.',
].join('\n');

const lookupOrderTool = defineAgentTool({
  name: 'lookup_order',
  description: 'Look an order up in the order system by its id, like A-1002.',
  parameters: z.object({ orderId: z.string().max(40) }),
  kind: 'sync',
  run: ({ orderId }) => lookUpOrder(orderId),
});

/**
 * The offline script of the ticket agent: look the order up, write the three buckets in one
 * parallel batch, answer. Built from the conversation's final context.
 */
export function scriptedTicketAgent(context: Readonly<Record<string, unknown>>): ScriptedModel {
  const order = context['order'] as OrderLookup | undefined;
  const orderId = String(context['order_id'] ?? 'unknown');
  const facts = order?.found === true ? `${order.id}: ${order.item}, ${order.status === 'in-transit' ? `in transit, ${order.daysLate} days late` : 'delivered'}` : `${orderId}: not found`;
  const resolution = context['resolution'];
  const action = resolution === undefined ? 'Escalated: a colleague emails the customer within one business day.' : `Settled: ${String(resolution)} sent, no follow-up needed.`;
  const summary = `Customer reported a ${String(context['issue'] ?? 'problem')} order; ${resolution === undefined ? 'escalated' : `${String(resolution)} agreed`}.`;
  const set = (bucket: number, content: string) => ({ name: 'set_memory', arguments: { bucket, content } });
  return scriptedModel(
    [
      { toolCalls: [{ name: 'lookup_order', arguments: { orderId } }] },
      { toolCalls: [set(TICKET_BUCKETS.summary, summary), set(TICKET_BUCKETS.order, facts), set(TICKET_BUCKETS.action, action)] },
      'filed',
    ],
    { modelId: OFFLINE_MODEL_ID },
  );
}

/**
 * A code-first agent files the ticket of a conversation. Two states: `notes`, where the model
 * works with the `lookup_order` tool and the built-in working-memory tools (10 buckets), and
 * `filed`, entered only when the guard sees a summary and an action in memory. The memory is
 * saved in the conversation's own metadata (`kit.memory`), next to the messages.
 */
export async function fileTicket(options: { model: LanguageModel; store: ConversationStore; conversationId: string; transcript: string }): Promise<TicketResult> {
  const notEmpty = (text: string) => text.trim() !== '';
  const agent = defineAgent({ model: options.model, persistence: storeMemoryPersistence(options.store, options.conversationId), summarizer: false, maxIterations: 6 })
    .state('notes', {
      description: 'Write the ticket into working memory',
      tools: [lookupOrderTool],
      onEnter: (transcript, context) => context.runWithTools({ systemPrompt: SYSTEM_PROMPT, userMessage: String(transcript) }),
    })
    .state('filed', {
      description: 'The ticket is ready for a colleague',
      onEnter: (_input, { memory }) => ({
        summary: memory.workingMemory.get(TICKET_BUCKETS.summary),
        order: memory.workingMemory.get(TICKET_BUCKETS.order),
        action: memory.workingMemory.get(TICKET_BUCKETS.action),
      }),
    })
    .transition('notes', 'filed', {
      description: 'the summary and the action are written',
      guard: ({ memory }) => notEmpty(memory.workingMemory.get(TICKET_BUCKETS.summary)) && notEmpty(memory.workingMemory.get(TICKET_BUCKETS.action)),
    })
    .build();
  agent.memory.background.update({ goals: 'A ticket a colleague can act on without reading the whole chat.' });

  const run = (await agent.executeState('notes', options.transcript)) as { text: string; toolCalls: ToolCallOutcome[] };
  let ticket: TicketNotes | undefined;
  try {
    ticket = (await agent.transitionTo('filed')).output as TicketNotes;
  } catch (error) {
    // The guard refused: the model left the ticket incomplete. Anything else is a real failure.
    if (!(error instanceof AgentError && error.reason === 'guard-rejected')) throw error;
  }
  await agent.saveMemory();
  return {
    ticket,
    toolCalls: run.toolCalls,
    answer: run.text,
    buckets: agent.memory.workingMemory.viewAll().map((bucket) => `[${bucket.index}] ${bucket.content}`),
  };
}
