// Declarative machines in the LLM-FSM JSON format: definitions, validation, JsonLogic conditions,
// the pure transition core, the runtime with persistence, and diagrams.

// Errors.
export { FsmError } from './errors/fsm-error.js';
export { MachineDefinitionError } from './errors/machine-definition-error.js';
export { FsmReplyError } from './errors/fsm-reply-error.js';
export { FsmSessionError, type FsmSessionErrorReason } from './errors/fsm-session-error.js';
export { FsmUsageError } from './errors/fsm-usage-error.js';

// Definitions.
export type { DefinitionProblem, IgnoredField } from './definition/definition-problem.js';
export {
  machineDefinitionSchema,
  stateDefinitionSchema,
  transitionDefinitionSchema,
  conditionDefinitionSchema,
  type MachineDefinitionInput,
  type StateDefinition,
  type TransitionDefinition,
  type ConditionDefinition,
} from './definition/machine-definition-schema.js';
export { validateMachine, type MachineValidation } from './definition/validate-machine.js';
export { defineMachine } from './definition/define-machine.js';
export { isMachine, type Machine, type MachineState, type MachineTransition, type MachineCondition } from './definition/machine.js';
export { loadMachine, loadMachineFile, parseMachineDefinition, type MachineDefinitionFormat } from './definition/load-machine.js';

// Conditions.
export { JSONLOGIC_OPERATORS } from './logic/jsonlogic-operators.js';
export { unmetConditions, type ConditionFailure } from './logic/evaluate-conditions.js';
export { contextValueAt, hasContextValue } from './logic/context-path.js';

// The pure core.
export { initialSnapshot, fsmSnapshotSchema, type FsmSnapshot, type FsmStackFrame, type FsmContext, type ContextMapping } from './core/fsm-snapshot.js';
export type { FsmEffect, FsmRefusal, TakenTransition, TransitionRefusalReason } from './core/fsm-effect.js';
export { transition, takenTransition, refusalsOf, type TransitionProposal, type TransitionResult } from './core/transition.js';
export { applyContextUpdate, EXTRA_CONTEXT_KEY, type CoreStep } from './core/apply-context-update.js';
export { resolveTransition } from './core/resolve-transition.js';
export { patchContext } from './core/patch-context.js';
export { pushMachineFrame, popMachineFrame, type PushMachineOptions } from './core/machine-stack.js';

// Prompts and replies.
export {
  DEFAULT_SINGLE_PASS_TEMPLATE,
  DEFAULT_ANALYSIS_TEMPLATE,
  DEFAULT_RESPONSE_TEMPLATE,
  DEFAULT_CONTEXT_TEMPLATE,
  PROMPT_TEMPLATE_VARIABLES,
  OPENING_USER_MESSAGE,
  type FsmPromptTemplates,
} from './prompts/default-prompt-templates.js';
export { promptContextJson } from './prompts/prompt-context-json.js';
export { singlePassReplySchema, analysisReplySchema, type SinglePassReply, type AnalysisReply } from './reply/fsm-reply-schema.js';

// The runtime.
export { FSM_HOOKS, type FsmHook, type FsmHookEvent, type FsmHandler, type FsmHandlerResult } from './runtime/fsm-handler.js';
export { FsmHandlerError } from './errors/fsm-handler-error.js';
export {
  createRuntime,
  FsmRuntime,
  type StartResult,
  type ConverseResult,
  type ConverseOptions,
  type FsmStreamEvent,
  type StackChangeResult,
} from './runtime/fsm-runtime.js';
export type { CreateRuntimeOptions, FsmRuntimeMode, FsmRequestSettings } from './runtime/runtime-options.js';
export type { FsmTurnRecord } from './runtime/fsm-session-backend.js';
export { FSM_NODE_METADATA_KEY, FSM_SNAPSHOT_METADATA_KEY, FSM_MACHINE_METADATA_KEY, FSM_IDEMPOTENCY_METADATA_KEY } from './runtime/store-session-backend.js';

// Diagrams.
export { toMermaid } from './diagram/to-mermaid.js';
export { toDot } from './diagram/to-dot.js';
