import { seededRandom } from '@kit/llm/testing';
import { randomInt } from './random-int.js';

/**
 * How a user turn is delivered: `once`; `concurrent`, to two workers at the same moment (the
 * conversation is hit by two processes at once); or `redeliver`, a second time after the first
 * delivery was answered (a queue redelivering a message whose acknowledgement was lost).
 */
export type TurnDelivery = 'once' | 'concurrent' | 'redeliver';

export interface PlannedTurn {
  /** 1-based position in the conversation. */
  index: number;
  text: string;
  idempotencyKey: string;
  delivery: TurnDelivery;
  /** The worker slot of the second delivery (always another slot than the conversation's home, when there are two or more). */
  secondSlot: number;
}

export interface PlannedConversation {
  index: number;
  conversationId: string;
  /** The worker slot that gets every first delivery. */
  homeSlot: number;
  turns: PlannedTurn[];
}

export interface TurnPlanOptions {
  runId: string;
  conversations: number;
  turnsPerConversation: number;
  workers: number;
  /** Share of turns delivered twice; default 0.25. Half of them at once, half again later. */
  duplicateShare?: number;
  seed: number;
}

/** The text of a user turn: the model reads the turn number back from it. */
export function turnText(conversationId: string, index: number): string {
  return `turn ${index} of ${conversationId}`;
}

/** The turn number in a user turn's text, or undefined when it is not one. */
export function turnIndexOf(text: string): number | undefined {
  const match = /^turn (\d+) of /.exec(text);
  return match === null ? undefined : Number(match[1]);
}

/**
 * What the coordinator will send: every conversation's turns, in order, and which of them are
 * delivered twice. Exactly `round(duplicateShare x turns)` turns are duplicated, picked at random
 * (seeded), alternating between `concurrent` and `redeliver`.
 */
export function planTurns(options: TurnPlanOptions): PlannedConversation[] {
  const random = seededRandom(options.seed);
  const share = options.duplicateShare ?? 0.25;
  const plan: PlannedConversation[] = [];
  for (let c = 0; c < options.conversations; c++) {
    const conversationId = `${options.runId}-c${c}`;
    const homeSlot = c % options.workers;
    const turns: PlannedTurn[] = [];
    for (let t = 1; t <= options.turnsPerConversation; t++) {
      const other = options.workers < 2 ? homeSlot : (homeSlot + randomInt(random, 1, options.workers - 1)) % options.workers;
      turns.push({ index: t, text: turnText(conversationId, t), idempotencyKey: `${conversationId}:t${t}`, delivery: 'once', secondSlot: other });
    }
    plan.push({ index: c, conversationId, homeSlot, turns });
  }
  const all = plan.flatMap((conversation) => conversation.turns);
  const duplicates = Math.round(share * all.length);
  // A partial Fisher-Yates shuffle picks `duplicates` distinct turns.
  for (let i = 0; i < duplicates; i++) {
    const j = i + Math.floor(random() * (all.length - i));
    [all[i], all[j]] = [all[j]!, all[i]!];
    all[i]!.delivery = i % 2 === 0 ? 'concurrent' : 'redeliver';
  }
  return plan;
}
