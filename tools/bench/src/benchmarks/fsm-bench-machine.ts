import { defineMachine, type Machine } from '@kit/fsm';
import type { CompletionRequest } from '@kit/llm';

/** States in the benchmark machine, the last one terminal. */
export const BENCH_STATE_COUNT = 50;

/** `s00` ... `s49`. */
export function benchStateId(index: number): string {
  return `s${String(index).padStart(2, '0')}`;
}

/**
 * A 50-state machine shaped like real ones: every state has a guarded move on (needs the key it
 * collects), a rule-guarded skip, and an unguarded way out to the terminal state; the states
 * before the last form a ring, so a conversation can run for ever without ending.
 */
export function benchMachine(): Machine {
  const ring = BENCH_STATE_COUNT - 1;
  const terminal = benchStateId(ring);
  const states: Record<string, unknown> = {};
  for (let i = 0; i < ring; i++) {
    const id = benchStateId(i);
    states[id] = {
      id,
      description: `Step ${i} of the intake`,
      purpose: `Collect field_${i} from the customer`,
      extraction_instructions: `Extract field_${i} (a short string) and, if the customer says they are in a hurry, hurry = true.`,
      response_instructions: `Ask for field_${i} politely, in one sentence.`,
      required_context_keys: [`field_${i}`],
      transitions: [
        { target_state: benchStateId((i + 1) % ring), description: `field_${i} is known`, priority: 1, conditions: [{ description: 'collected', requires_context_keys: [`field_${i}`] }] },
        {
          target_state: benchStateId((i + 2) % ring),
          description: 'the customer is in a hurry',
          priority: 2,
          conditions: [{ description: 'hurry', logic: { and: [{ has_context: 'hurry' }, { '==': [{ var: 'hurry' }, true] }, { '<': [{ var: 'skips' }, 3] }] } }],
        },
        { target_state: terminal, description: 'the customer wants to stop', priority: 10 },
      ],
    };
  }
  states[terminal] = { id: terminal, description: 'Done', purpose: 'Thank the customer', response_instructions: 'Say thanks.', transitions: [] };
  return defineMachine({ name: 'intake-50', description: 'A 50-state intake form', persona: 'a patient intake clerk', initial_state: benchStateId(0), states });
}

const STATE_IN_PROMPT = /The conversation is in the state "s(\d\d)"/;

/**
 * The reply a model that follows the form would give: it extracts the current state's field and
 * proposes the next state. Read from the request's system prompt, so any number of interleaved
 * conversations can share one scripted model.
 */
export function followTheForm(request: CompletionRequest): { object: unknown } {
  const system = request.messages[0]!.content as string;
  const index = Number(STATE_IN_PROMPT.exec(system)?.[1] ?? 0);
  const next = benchStateId((index + 1) % (BENCH_STATE_COUNT - 1));
  return {
    object: {
      transition: { target_state: next, context_update: { [`field_${index}`]: `value ${index}` } },
      message: `Thanks. Next, field_${(index + 1) % (BENCH_STATE_COUNT - 1)} please.`,
      reasoning: 'the field was given',
    },
  };
}
