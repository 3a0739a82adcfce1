import { toJsonSchema } from '@kit/llm';
import type { Fsm } from './fsm.js';
import type { ExportableTool } from './tool-schema-export.js';

/**
 * The prompt text that tells a model where a machine stands: the current state, the states it may
 * move to (or that it is terminal) and the tools it may call, each with its parameter schema.
 */
export function orchestratorGuide(fsm: Pick<Fsm, 'current' | 'getNextStates'>, tools: readonly ExportableTool[]): string {
  const next = fsm.getNextStates();
  const lines = [
    'You are orchestrating a state machine.',
    `Current state: ${fsm.current}`,
    next.length === 0 ? 'Next states: none (this state is terminal)' : `Next states: ${next.join(', ')}`,
    '',
  ];
  if (tools.length === 0) lines.push('Tools: none');
  else {
    lines.push('Tools:');
    for (const tool of tools) {
      lines.push(`- ${tool.name}: ${tool.description?.trim() || '(no description)'}`);
      lines.push(`  parameters: ${JSON.stringify(toJsonSchema(tool.parameters))}`);
    }
  }
  lines.push('', 'Move only to one of the next states, and call only the tools listed here.');
  return lines.join('\n');
}
