import type { ConverseResult, FsmContext } from '@kit/fsm';
import type { Colors } from '../output.js';
import { shortText } from '../terminal-text.js';

/** `state: triage`, or `state: intake -> triage (why)` after a transition. */
export function stateLine(result: Pick<ConverseResult, 'state' | 'previousState' | 'transition' | 'ended'>, c: Colors): string {
  const ended = result.ended ? c.dim(' (the conversation has ended)') : '';
  const taken = result.transition;
  if (taken === undefined || taken.from === taken.to) return `${c.dim('state:')} ${c.cyan(result.state)}${ended}`;
  const why = taken.description === '' ? '' : c.dim(` (${shortText(taken.description, 80)}${taken.automatic ? ', taken by the engine' : ''})`);
  return `${c.dim('state:')} ${taken.from} -> ${c.cyan(c.bold(taken.to))}${why}${ended}`;
}

/** A context value in a few characters. */
function valueText(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return shortText(text, 40);
}

/** What a turn changed in the context: `key = value` for new or changed keys, `-key` for removed ones. */
export function contextChanges(before: FsmContext, after: FsmContext): string[] {
  const changes: string[] = [];
  for (const [key, value] of Object.entries(after)) {
    if (!(key in before)) changes.push(`+${shortText(key, 40)} = ${valueText(value)}`);
    else if (JSON.stringify(before[key]) !== JSON.stringify(value)) changes.push(`${shortText(key, 40)} = ${valueText(value)}`);
  }
  for (const key of Object.keys(before)) if (!(key in after)) changes.push(`-${shortText(key, 40)}`);
  return changes;
}

/**
 * The lines shown under a reply: the state (and the change), what the turn put in the context,
 * and what the engine refused the model (system keys, transitions not allowed).
 */
export function turnLines(result: ConverseResult, contextBefore: FsmContext, c: Colors): string[] {
  const lines = [stateLine(result, c)];
  const changes = contextChanges(contextBefore, result.context);
  if (changes.length > 0) lines.push(`${c.dim('context:')} ${changes.join(', ')}`);
  for (const refusal of result.refusals) lines.push(c.yellow(`refused: ${shortText(refusal.message, 200)}`));
  return lines;
}
