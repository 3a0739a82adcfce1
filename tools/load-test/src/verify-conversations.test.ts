import { MemoryConversationStore } from '@kit/conversations';
import { createRuntime } from '@kit/fsm';
import { describe, expect, it } from 'vitest';
import { loadMachine, loadModel } from './load-machine.js';
import { seededRandom } from '@kit/llm/testing';
import { planTurns } from './turn-plan.js';
import { verifyConversations } from './verify-conversations.js';

async function setUp(turnsDone: number) {
  const store = new MemoryConversationStore();
  const runtime = createRuntime({ machine: loadMachine(3), model: loadModel({ tag: 'w0', random: seededRandom(1), minLatencyMs: 0, maxLatencyMs: 0 }), store });
  const plan = planTurns({ runId: 'v', conversations: 2, turnsPerConversation: 3, workers: 1, seed: 1 });
  const replies = new Map<string, string>();
  for (const conversation of plan) {
    await runtime.start({}, { conversationId: conversation.conversationId });
    for (const turn of conversation.turns.slice(0, turnsDone)) {
      replies.set(turn.idempotencyKey, (await runtime.converse(conversation.conversationId, turn.text, { idempotencyKey: turn.idempotencyKey })).message);
    }
  }
  return { store, runtime, plan, replies };
}

describe('verifyConversations', () => {
  it('passes conversations that hold exactly their turns', async () => {
    const { store, plan, replies } = await setUp(3);
    expect(await verifyConversations(store, plan, replies, 'load-test')).toEqual({ conversations: 2, strays: 0, problems: [] });
  });

  it('finds a turn run twice (the second delivery stored as a turn of its own)', async () => {
    const { store, runtime, plan, replies } = await setUp(3);
    const id = plan[0]!.conversationId;
    const { problems } = await verifyConversations(store, plan, replies, 'load-test');
    expect(problems).toEqual([]);
    await runtime.converse(id, plan[0]!.turns[2]!.text);
    const after = await verifyConversations(store, plan, replies, 'load-test');
    expect(after.problems.join('\n')).toContain(`${id}: 10 nodes, expected 8`);
  });

  it('finds a missing turn, and a conversation that never started', async () => {
    const { store, plan, replies } = await setUp(2);
    const { problems } = await verifyConversations(store, plan, replies, 'load-test');
    expect(problems).toContain(`${plan[0]!.conversationId}: 6 nodes, expected 8 (root, opening, a user message and a reply per turn)`);
    const longer = planTurns({ runId: 'v', conversations: 3, turnsPerConversation: 2, workers: 1, seed: 1 });
    expect((await verifyConversations(store, longer, replies, 'load-test')).problems).toContain('v-c2: missing');
  });

  it('finds a stored reply that is not the one the caller was given, and stray conversations', async () => {
    const { store, runtime, plan, replies } = await setUp(3);
    const key = plan[1]!.turns[0]!.idempotencyKey;
    replies.set(key, 'something else');
    await runtime.start({}, { conversationId: 'stray' });
    const result = await verifyConversations(store, plan, replies, 'load-test');
    expect(result.strays).toBe(1);
    expect(result.problems.some((p) => p.includes('but the caller was answered "something else"'))).toBe(true);
  });
});
