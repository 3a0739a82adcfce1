import { z } from 'zod';
import { defineAgentTool, type AgentTool } from './agent-tool.js';
import { WORKING_MEMORY_BUCKETS } from './working-memory.js';

const bucket = z
  .number()
  .int()
  .min(0)
  .max(WORKING_MEMORY_BUCKETS - 1)
  .describe(`working-memory bucket, 0 to ${WORKING_MEMORY_BUCKETS - 1}`);

/** The names of the built-in memory tools. */
export const MEMORY_TOOL_NAMES = ['set_memory', 'append_memory', 'get_memory', 'clear_memory', 'view_memory'] as const;

/**
 * The built-in tools through which a model reads and writes the ten working-memory buckets. They
 * are in scope in every state; bucket numbers outside 0..9 are refused by their schemas.
 */
export function memoryTools(): AgentTool[] {
  return [
    defineAgentTool({
      name: 'set_memory',
      description: 'Replace the text of one working-memory bucket.',
      parameters: z.object({ bucket, content: z.string() }),
      kind: 'sync',
      run: ({ bucket: index, content }, { memory }) => {
        memory.workingMemory.set(index, content);
        return `Bucket ${index} set.`;
      },
    }),
    defineAgentTool({
      name: 'append_memory',
      description: 'Add text on a new line at the end of one working-memory bucket.',
      parameters: z.object({ bucket, content: z.string() }),
      kind: 'sync',
      run: ({ bucket: index, content }, { memory }) => {
        memory.workingMemory.append(index, content);
        return `Appended to bucket ${index}.`;
      },
    }),
    defineAgentTool({
      name: 'get_memory',
      description: 'Read the text of one working-memory bucket.',
      parameters: z.object({ bucket }),
      kind: 'sync',
      run: ({ bucket: index }, { memory }) => {
        const content = memory.workingMemory.get(index);
        return content === '' ? `Bucket ${index} is empty.` : content;
      },
    }),
    defineAgentTool({
      name: 'clear_memory',
      description: 'Empty one working-memory bucket.',
      parameters: z.object({ bucket }),
      kind: 'sync',
      run: ({ bucket: index }, { memory }) => {
        memory.workingMemory.delete(index);
        return `Bucket ${index} cleared.`;
      },
    }),
    defineAgentTool({
      name: 'view_memory',
      description: 'List every non-empty working-memory bucket.',
      parameters: z.object({}),
      kind: 'sync',
      run: (_args, { memory }) => {
        const buckets = memory.workingMemory.viewAll();
        if (buckets.length === 0) return 'Every bucket is empty.';
        return buckets.map((b) => `[${b.index}] ${b.content}`).join('\n');
      },
    }),
  ];
}
