import { describe, expect, it } from 'vitest';
import { planTurns, turnIndexOf, turnText } from './turn-plan.js';

describe('planTurns', () => {
  const plan = planTurns({ runId: 'r1', conversations: 40, turnsPerConversation: 5, workers: 4, seed: 7 });
  const turns = plan.flatMap((c) => c.turns);

  it('plans every conversation with its turns in order, spread over the worker slots', () => {
    expect(plan).toHaveLength(40);
    expect(new Set(plan.map((c) => c.conversationId)).size).toBe(40);
    expect(plan[5]!.turns.map((t) => t.index)).toEqual([1, 2, 3, 4, 5]);
    expect(plan[5]!.turns[2]!.text).toBe('turn 3 of r1-c5');
    expect(new Set(turns.map((t) => t.idempotencyKey)).size).toBe(200);
    expect(plan.map((c) => c.homeSlot).slice(0, 5)).toEqual([0, 1, 2, 3, 0]);
  });

  it('delivers exactly a quarter of the turns twice, half of them at once, on another worker', () => {
    const twice = turns.filter((t) => t.delivery !== 'once');
    expect(twice).toHaveLength(50);
    expect(twice.filter((t) => t.delivery === 'concurrent')).toHaveLength(25);
    for (const conversation of plan) for (const turn of conversation.turns) expect(turn.secondSlot).not.toBe(conversation.homeSlot);
  });

  it('is the same plan for the same seed, another for another seed', () => {
    const again = planTurns({ runId: 'r1', conversations: 40, turnsPerConversation: 5, workers: 4, seed: 7 });
    expect(again).toEqual(plan);
    const other = planTurns({ runId: 'r1', conversations: 40, turnsPerConversation: 5, workers: 4, seed: 8 });
    expect(other.flatMap((c) => c.turns.map((t) => t.delivery))).not.toEqual(turns.map((t) => t.delivery));
  });

  it('reads a turn number back from its text, and nothing from other text', () => {
    expect(turnIndexOf(turnText('x-c1', 4))).toBe(4);
    expect(turnIndexOf('hello')).toBeUndefined();
  });
});
