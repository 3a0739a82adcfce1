import { messageSchema, type Message } from '@kit/llm';
import { z } from 'zod';
import { backgroundDataSchema, type BackgroundData } from './background-context.js';
import { stateHistoryEntrySchema, type StateHistoryEntry } from './state-history.js';
import { toolCallOutcomeSchema, type ToolCallOutcome } from './tool-call-outcome.js';
import { parseAgentInput } from './parse-agent-input.js';
import { WORKING_MEMORY_BUCKETS, type MemoryBucket } from './working-memory.js';

/** Where a run stopped on a breaking tool: enough to continue it with new input. */
export interface ExecutionCheckpoint {
  /** The state the run stopped in; `resume` executes it again. */
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
  /** Marks the data as Kit agent memory. */
  format: 'kit.fsm.memory';
  /** The snapshot format's version; only 1 exists. */
  version: 1;
  /** Exactly ten buckets, index 0 first. */
  workingMemory: MemoryBucket[];
  /** Vision and mission, goals, TODO list and custom fields. */
  background: BackgroundData;
  /** Every state execution, oldest first. */
  history: StateHistoryEntry[];
  /** The state the session is in; absent before an agent has used the memory. */
  currentState?: string | undefined;
  /** Where a run stopped on a breaking tool; absent when there is nothing to resume. */
  checkpoint?: ExecutionCheckpoint | undefined;
}

/** The shape of a stored {@link ExecutionCheckpoint}, checked when memory is loaded. */
export const executionCheckpointSchema = z.object({
  /** The state the run stopped in; `resume` executes it again. */
  state: z.string().min(1),
  /** The tool loop's messages so far (system prompt left out), ending with the batch's results. */
  transcript: z.array(messageSchema),
  /** The results of the batch that broke, in call order. */
  results: z.array(toolCallOutcomeSchema),
  /** ISO 8601. */
  at: z.string(),
});

const bucketSchema = z.object({
  /** The bucket's text; `''` when empty. */
  content: z.string(),
  /** When the text last changed (ISO 8601); null if never set or since emptied. */
  updatedAt: z.string().nullable(),
});

/** Validates a stored memory snapshot. */
export const memorySnapshotSchema = z.object({
  /** Marks the data as Kit agent memory. */
  format: z.literal('kit.fsm.memory'),
  /** The snapshot format's version; only 1 exists. */
  version: z.literal(1),
  /** Exactly ten buckets, index 0 first. */
  workingMemory: z.array(bucketSchema).length(WORKING_MEMORY_BUCKETS),
  /** Vision and mission, goals, TODO list and custom fields. */
  background: backgroundDataSchema,
  /** Every state execution, oldest first. */
  history: z.array(stateHistoryEntrySchema),
  /** The state the session is in; absent before an agent has used the memory. */
  currentState: z.string().min(1).optional(),
  /** Where a run stopped on a breaking tool; absent when there is nothing to resume. */
  checkpoint: executionCheckpointSchema.optional(),
});

/** Validates stored memory data; anything else is an `AgentError` with reason `memory-corrupt`. */
export function parseMemorySnapshot(data: unknown, source: string): MemorySnapshot {
  return parseAgentInput(memorySnapshotSchema, data, `memory from ${source}`, 'memory-corrupt');
}
