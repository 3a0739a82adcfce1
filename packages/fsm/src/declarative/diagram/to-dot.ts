import type { Machine } from '../definition/machine.js';
import { edgeLabelLines } from './edge-label.js';

/** A DOT quoted string: backslashes and quotes escaped, line breaks as `\n`. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n|\r/g, '\\n')}"`;
}

/**
 * A Graphviz DOT graph of the machine: a point leads into the initial state (drawn bold),
 * terminal states are double circles, and each edge carries its description, priority and
 * conditions.
 *
 * @example
 * writeFileSync('machine.dot', toDot(machine)); // dot -Tsvg machine.dot > machine.svg
 */
export function toDot(machine: Machine): string {
  let start = '__start';
  while (machine.states.has(start)) start = `_${start}`;
  const lines = [`digraph ${quote(machine.name)} {`, '  rankdir=LR;', '  node [shape=box, style=rounded];', `  ${quote(start)} [shape=point, label=""];`];
  for (const state of machine.states.values()) {
    const attributes = [`label=${quote(state.id)}`];
    if (state.terminal) attributes.push('shape=doublecircle');
    if (state.id === machine.initialState) attributes.push('style="rounded,bold"');
    lines.push(`  ${quote(state.id)} [${attributes.join(', ')}];`);
  }
  lines.push(`  ${quote(start)} -> ${quote(machine.initialState)};`);
  for (const state of machine.states.values()) {
    for (const transition of state.transitions) {
      lines.push(`  ${quote(state.id)} -> ${quote(transition.targetState)} [label=${quote(edgeLabelLines(transition).join('\n'))}];`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
