import { messageSchema, type Message } from '@kit/llm';
import { z } from 'zod';
import { backgroundDataSchema, type BackgroundData } from './background-context.js';
import { stateHistoryEntrySchema, type StateHistoryEntry } from './state-history.js';
import { toolCallOutcomeSchema, type ToolCallOutcome } from './tool-call-outcome.js';
import { parseAgentInput } from './parse-agent-input.js';
import { WORKING_MEMORY_BUCKETS, type MemoryBucket } from './working-memory.js';

/** Where a run stopped on a breaking tool: enough to continue it with new input. */
export interface ExecutionCheckpoint {
  state: string;
  /** The tool loop's messages so far (system prompt left out), ending with the batch's results. */
  transcript: Message[];
  /** The results of the batch that broke, in call order. */
  results: ToolCallOutcome[];
  /** ISO 8601. */
  at: string;
}

/** A `PersistentMemory` as plain JSON data: what files and stores keep. */
export interface MemorySnapshot {
  format: 'kit.fsm.memory';
  version: 1;
  workingMemory: MemoryBucket[];
  background: BackgroundData;
  history: StateHistoryEntry[];
  currentState?: string | undefined;
  checkpoint?: ExecutionCheckpoint | undefined;
}

/** The shape of a stored {@link ExecutionCheckpoint}, checked when memory is loaded. */
export const executionCheckpointSchema = z.object({
  state: z.string().min(1),
  transcript: z.array(messageSchema),
  results: z.array(toolCallOutcomeSchema),
  at: z.string(),
});

const bucketSchema = z.object({ content: z.string(), updatedAt: z.string().nullable() });

/** Validates a stored memory snapshot. */
export const memorySnapshotSchema = z.object({
  format: z.literal('kit.fsm.memory'),
  version: z.literal(1),
  workingMemory: z.array(bucketSchema).length(WORKING_MEMORY_BUCKETS),
  background: backgroundDataSchema,
  history: z.array(stateHistoryEntrySchema),
  currentState: z.string().min(1).optional(),
  checkpoint: executionCheckpointSchema.optional(),
});

/** Validates stored memory data; anything else is an `AgentError` with reason `memory-corrupt`. */
export function parseMemorySnapshot(data: unknown, source: string): MemorySnapshot {
  return parseAgentInput(memorySnapshotSchema, data, `memory from ${source}`, 'memory-corrupt');
}
