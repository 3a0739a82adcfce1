import type { Colors } from '../output.js';
import type { NodeView } from './node-view.js';

/**
 * The active path as a transcript: one block per message, `role [state]:` then the text. The
 * empty system root the FSM runtime writes is left out. `shown` neutralises control characters
 * on a terminal.
 */
export function transcriptLines(path: readonly NodeView[], c: Colors, shown: (text: string) => string): string[] {
  const lines: string[] = [];
  for (const view of path) {
    if (view.parentId === null && view.role === 'system' && view.content.trim() === '') continue;
    const state = view.state === undefined ? '' : ` ${c.dim(`[${shown(view.state)}]`)}`;
    const role = view.role === 'user' ? c.cyan('user') : view.role === 'assistant' ? c.green('assistant') : c.magenta(view.role);
    const flags = view.partial === true ? c.yellow(' (partial)') : '';
    if (lines.length > 0) lines.push('');
    lines.push(`${c.bold(role)}${state}${flags}:`);
    if (view.content !== '') lines.push(shown(view.content));
    for (const call of view.toolCalls ?? []) lines.push(c.dim(`→ ${shown(call.name)}(${shown(JSON.stringify(call.arguments))})`));
  }
  return lines;
}
