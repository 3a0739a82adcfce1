import type { MachineTransition } from '../definition/machine.js';

/**
 * What a diagram writes on a transition's edge: its description, its priority, and each
 * condition (its description, the keys it needs, its rule as compact JSON). Plain text; each
 * diagram format escapes it its own way.
 */
export function edgeLabelLines(transition: MachineTransition): string[] {
  const lines: string[] = [];
  const head = transition.description.trim();
  lines.push(head === '' ? `priority ${transition.priority}` : `${head} (priority ${transition.priority})`);
  for (const condition of transition.conditions) {
    const parts: string[] = [];
    if (condition.description.trim() !== '') parts.push(condition.description.trim());
    if (condition.requiresContextKeys.length > 0) parts.push(`needs ${condition.requiresContextKeys.join(', ')}`);
    if (condition.logic !== undefined) parts.push(JSON.stringify(condition.logic));
    if (parts.length > 0) lines.push(`when ${parts.join('; ')}`);
  }
  return lines;
}
