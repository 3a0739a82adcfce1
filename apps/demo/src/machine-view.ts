import type { Machine } from '@kit/fsm';
import { logicText } from './logic-text.js';
import { OUTPUT_WIDTH, truncate } from './text-layout.js';

/**
 * A machine's transitions as text, in the order the engine tries them: source, target, priority
 * and description, then on the next line what the conditions test (required keys, JsonLogic
 * rules as infix expressions), or that only the model's proposal takes it.
 */
export function machineView(machine: Machine, width: number = OUTPUT_WIDTH): string[] {
  const stateWidth = Math.max(...[...machine.states.keys()].map((id) => id.length));
  const lines: string[] = [];
  for (const state of machine.states.values()) {
    if (state.terminal) {
      lines.push(`  ${state.id.padEnd(stateWidth)}    (final)`);
      continue;
    }
    for (const transition of state.transitionsByPriority) {
      const tests = transition.conditions.flatMap((condition) => [
        ...(condition.requiresContextKeys.length > 0 ? [`has ${condition.requiresContextKeys.join(', ')}`] : []),
        ...(condition.logic === undefined ? [] : [logicText(condition.logic)]),
      ]);
      const head = `  ${state.id.padEnd(stateWidth)} -> ${transition.targetState.padEnd(stateWidth)} p${String(transition.priority).padEnd(4)}`;
      lines.push(`${head}${truncate(transition.description, width - head.length)}`);
      const indent = ' '.repeat(head.length);
      lines.push(`${indent}${truncate(tests.length > 0 ? `when ${tests.join(' and ')}` : 'when the model proposes it', width - indent.length)}`);
    }
  }
  return lines;
}
