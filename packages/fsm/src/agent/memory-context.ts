import type { MemorySnapshot } from './memory-snapshot.js';
import { escapePromptAttribute, escapePromptText, promptValueText } from './prompt-text-escape.js';

/** Options of `PersistentMemory.toContext`. */
export interface MemoryContextOptions {
  /** How many recent state executions to include. Default 5; 0 leaves history out. */
  historyN?: number | undefined;
}

/**
 * Renders memory as prompt text in tags: `<background>`, `<working_memory>` and
 * `<recent_history>`, each only when it has something in it. Every value is escaped, so text a
 * user or a model put in memory cannot close or open these tags.
 */
export function renderMemoryContext(memory: MemorySnapshot, options: MemoryContextOptions = {}): string {
  const sections: string[] = [];

  const background: string[] = [];
  const { visionAndMission, goals, todoList, custom } = memory.background;
  if (visionAndMission.trim() !== '') background.push(element('vision_and_mission', visionAndMission));
  if (goals.trim() !== '') background.push(element('goals', goals));
  if (todoList.trim() !== '') background.push(element('todo_list', todoList));
  for (const [key, value] of Object.entries(custom)) {
    background.push(`<field name="${escapePromptAttribute(key)}">${escapePromptText(promptValueText(value))}</field>`);
  }
  if (background.length > 0) sections.push(['<background>', ...background, '</background>'].join('\n'));

  const buckets = memory.workingMemory
    .map((bucket, index) => ({ index, content: bucket.content }))
    .filter((bucket) => bucket.content.trim() !== '')
    .map((bucket) => `<bucket index="${bucket.index}">${escapePromptText(bucket.content)}</bucket>`);
  if (buckets.length > 0) sections.push(['<working_memory>', ...buckets, '</working_memory>'].join('\n'));

  const historyN = Math.max(0, Math.floor(options.historyN ?? 5));
  const recent = historyN === 0 ? [] : memory.history.slice(-historyN);
  if (recent.length > 0) {
    const entries = recent.map((entry) => {
      const lines = [
        `<entry state="${escapePromptAttribute(entry.state)}" at="${escapePromptAttribute(entry.at)}">`,
        element('input', promptValueText(entry.input)),
        element('output', promptValueText(entry.output)),
      ];
      if (entry.summary !== undefined && entry.summary.trim() !== '') lines.push(element('summary', entry.summary));
      lines.push('</entry>');
      return lines.join('\n');
    });
    sections.push(['<recent_history>', ...entries, '</recent_history>'].join('\n'));
  }

  return sections.join('\n\n');
}

function element(tag: string, text: string): string {
  return `<${tag}>${escapePromptText(text)}</${tag}>`;
}
