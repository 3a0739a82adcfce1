import { MemoryConversationStore } from '@kit/conversations';
import { scriptedModel } from '@kit/llm/testing';
import { describe, expect, it } from 'vitest';
import { createRuntime, loadMachine, type Machine, type MachineTransition } from '../declarative/index.js';
import { listCorpusFiles, readCorpusFile } from './test-support/fsm-llm-corpus.js';
import { satisfyingContext } from './test-support/satisfying-context.js';

/** Turns from each state to the nearest terminal state. */
function distancesToTerminal(machine: Machine): Map<string, number> {
  const distance = new Map(machine.terminalStates.map((id) => [id, 0]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const state of machine.states.values()) {
      for (const t of state.transitions) {
        const via = distance.get(t.targetState);
        if (via !== undefined && via + 1 < (distance.get(state.id) ?? Infinity)) {
          distance.set(state.id, via + 1);
          changed = true;
        }
      }
    }
  }
  return distance;
}

/** The transition out of `state` on a shortest path to a terminal state (by priority among equals). */
function nextTransition(machine: Machine, state: string, distance: Map<string, number>): MachineTransition {
  const options = machine.states.get(state)!.transitionsByPriority.filter((t) => t.targetState !== state);
  return options.reduce((best, t) => (distance.get(t.targetState)! < distance.get(best.targetState)! ? t : best));
}

/** A state the current one has no transition to, for the refused jump. */
function unreachableTarget(machine: Machine, state: string): string | undefined {
  const targets = new Set(machine.states.get(state)!.transitions.map((t) => t.targetState));
  return [...machine.states.keys()].find((id) => id !== state && !targets.has(id));
}

describe.each(listCorpusFiles())('the LLM-FSM corpus: %s runs', (file) => {
  const machine = loadMachine(readCorpusFile(file), { format: 'json', source: file });
  const distance = distancesToTerminal(machine);

  it('follows a path of proposed transitions to a terminal state, refusing a jump on the way, and resumes from the store', async () => {
    let proposal: { target_state: string | null; context_update: Record<string, unknown> } = { target_state: null, context_update: {} };
    const model = scriptedModel(
      [
        'Welcome!',
        (request) => {
          // The prompt the engine sent names the state's transitions: the model answers from it.
          expect(request.messages[0]!.content).toContain('<transitions>');
          return { object: { transition: proposal, message: `moving to ${String(proposal.target_state)}`, reasoning: 'scripted' } };
        },
      ],
      { loop: true },
    );
    const store = new MemoryConversationStore();
    const runtime = createRuntime({ machine, model, store });
    const { conversationId, state } = await runtime.start();
    expect(state).toBe(machine.initialState);

    // A jump the current state does not allow is refused and changes nothing.
    const forbidden = unreachableTarget(machine, state);
    if (forbidden !== undefined) {
      proposal = { target_state: forbidden, context_update: { _admin: true } };
      const refused = await runtime.converse(conversationId, `take me to ${forbidden}`);
      expect(refused.state).toBe(state);
      expect(refused.refusals.map((r) => r.reason)).toEqual(['system-key', 'not-a-transition']);
      expect(refused.context).not.toHaveProperty('_admin');
    }

    const visited = [state];
    let current = state;
    while (!machine.states.get(current)!.terminal) {
      const next = nextTransition(machine, current, distance);
      proposal = { target_state: next.targetState, context_update: satisfyingContext(next) };
      const result = await runtime.converse(conversationId, `turn ${visited.length}`);
      expect(result.refusals).toEqual([]);
      expect(result.previousState).toBe(current);
      expect(result.state).toBe(next.targetState);
      current = result.state;
      visited.push(current);
      expect(visited.length).toBeLessThanOrEqual(machine.states.size);
    }
    expect(machine.terminalStates).toContain(current);
    console.info(`${file}: ${visited.join(' -> ')}`);

    // Every turn was stored: a second runtime over the store is where the first one is.
    const resumed = createRuntime({ machine, model: scriptedModel([]), store });
    expect((await resumed.getSnapshot(conversationId)).state).toBe(current);
  });
});
