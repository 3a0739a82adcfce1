import type { TranscriptEntry } from './showcase-session.js';
import { OUTPUT_WIDTH, wrap } from './text-layout.js';

/**
 * The transcript as text: who speaks (the agent with the state it speaks from), what the machine
 * and its handlers did in between (`·`), and the steps on the stored tree (`»`).
 */
export function transcriptView(entries: readonly TranscriptEntry[], width: number = OUTPUT_WIDTH): string[] {
  const lines: string[] = [];
  for (const entry of entries) {
    switch (entry.kind) {
      case 'agent':
        lines.push(...wrap(entry.text, width, `agent     ${`[${entry.state}]`.padEnd(11)} `));
        break;
      case 'customer':
        lines.push(...wrap(entry.text, width, `customer  ${''.padEnd(11)} `));
        break;
      case 'event':
        lines.push(...wrap(entry.text, width, `          · `));
        break;
      case 'step':
        lines.push('', ...wrap(entry.text, width, '» '), '');
        break;
    }
  }
  return lines;
}
