import type { Machine } from '../definition/machine.js';
import { edgeLabelLines } from './edge-label.js';

const ENTITIES: Readonly<Record<string, string>> = {
  '#': '#35;',
  ';': '#59;',
  '"': '#quot;',
  '<': '#lt;',
  '>': '#gt;',
  '{': '#123;',
  '}': '#125;',
  ':': '#58;',
  '\n': ' ',
  '\r': ' ',
};

function escapeText(text: string): string {
  return text.replace(/[#;"<>{}:\r\n]/g, (c) => ENTITIES[c]!);
}

/**
 * A Mermaid state diagram of the machine: `[*] -->` marks the initial state, `--> [*]` each
 * terminal state, and each edge carries its description, priority and conditions. State ids
 * become safe Mermaid ids (`s0`, `s1`, ...) labelled with the real id, so any id renders.
 *
 * @example
 * const text = toMermaid(machine); // paste into a ```mermaid block
 */
export function toMermaid(machine: Machine): string {
  const ids = new Map<string, string>();
  let index = 0;
  for (const id of machine.states.keys()) ids.set(id, `s${index++}`);
  const lines = ['stateDiagram-v2'];
  for (const state of machine.states.values()) lines.push(`  state "${escapeText(state.id)}" as ${ids.get(state.id)!}`);
  lines.push(`  [*] --> ${ids.get(machine.initialState)!}`);
  for (const state of machine.states.values()) {
    for (const transition of state.transitions) {
      const label = edgeLabelLines(transition).map(escapeText).join(' / ');
      lines.push(`  ${ids.get(state.id)!} --> ${ids.get(transition.targetState)!} : ${label}`);
    }
  }
  for (const id of machine.terminalStates) lines.push(`  ${ids.get(id)!} --> [*]`);
  return `${lines.join('\n')}\n`;
}
