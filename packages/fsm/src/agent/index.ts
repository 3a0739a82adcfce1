// The code-first part of @kit/fsm: agents whose states are declared in code, their persistent
// memory, tools, refinement and summaries, and the minimal Fsm primitive.

export { AgentError, type AgentErrorReason } from './agent-error.js';

// Memory.
export { PersistentMemory } from './persistent-memory.js';
export { WorkingMemory, WORKING_MEMORY_BUCKETS, bucketIndexSchema, type MemoryBucket, type BucketView } from './working-memory.js';
export { BackgroundContext, backgroundDataSchema, type BackgroundData } from './background-context.js';
export { StateHistory, stateHistoryEntrySchema, type StateHistoryEntry } from './state-history.js';
export { memorySnapshotSchema, executionCheckpointSchema, parseMemorySnapshot, type MemorySnapshot, type ExecutionCheckpoint } from './memory-snapshot.js';
export { renderMemoryContext, type MemoryContextOptions } from './memory-context.js';
export { writeMemoryFile, readMemoryFile } from './memory-file.js';
export { writeMemoryToStore, readMemoryFromStore, MEMORY_METADATA_KEY } from './memory-store.js';
export { fileMemoryPersistence, storeMemoryPersistence, type MemoryPersistence } from './memory-persistence.js';
export type { JsonValue as MemoryJsonValue } from './json-value.js';

// Tools.
export { defineAgentTool, checkAgentTool, type AgentTool, type ToolKind, type ToolRunContext } from './agent-tool.js';
export { ToolRegistry, sharedToolRegistry, isToolInScope } from './tool-registry.js';
export { memoryTools, MEMORY_TOOL_NAMES } from './memory-tools.js';
export { runToolBatch, type ToolBatchOptions } from './tool-batch.js';
export { toolCallOutcomeSchema, type ToolCallOutcome, type ToolCallStatus } from './tool-call-outcome.js';
export type { RefusedToolCall, ToolRefusalReason } from './refused-tool-call.js';
export { ExecutionBreak } from './execution-break.js';
export { MaxIterationsError } from './max-iterations-error.js';

// Agents.
export { StateMachineAgent } from './state-machine-agent.js';
export { AgentBuilder, defineAgent } from './agent-builder.js';
export type {
  AgentOptions,
  StateMachineAgentConfig,
  AgentStateDefinition,
  AgentStateContext,
  AgentTransition,
  AgentTransitionOptions,
  GuardContext,
  RunWithToolsOptions,
  StateRunWithToolsOptions,
  ToolRunResult,
  AgentTransitionResult,
} from './agent-definition.js';

// Refinement and summaries.
export {
  runWithRefinement,
  type RunWithRefinementOptions,
  type RefinementResult,
  type RefinementAttempt,
  type RefinementVerdict,
  type RefinementValidator,
  type RefinementExecuteContext,
} from './run-with-refinement.js';
export { llmJudge, type LlmJudgeOptions } from './llm-judge.js';
export { RefinementFailedError } from './refinement-failed-error.js';
export { HistorySummarizer, DEFAULT_SUMMARY_PROMPT, type HistorySummarizerOptions, type StateSummary } from './history-summarizer.js';

// The minimal primitives.
export { Fsm, type FsmTransitionMap } from './fsm.js';
export {
  toOpenAITool,
  toAnthropicTool,
  toGoogleFunctionDeclaration,
  exportToolSchemas,
  type ExportableTool,
  type OpenAIToolSchema,
  type AnthropicToolSchema,
  type GoogleFunctionDeclaration,
  type ToolSchemaFormat,
} from './tool-schema-export.js';
export { orchestratorGuide } from './orchestrator-guide.js';
