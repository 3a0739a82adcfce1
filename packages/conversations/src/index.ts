/**
 * `@kit/conversations`: tree-branched conversation histories and the stores that keep them.
 * @packageDocumentation
 * @module @kit/conversations
 */

export * from './store/conversation-errors.js';
export * from './store/conversation-record.js';
export type * from './store/conversation-store.js';
export * from './tree/index.js';
export * from './store/index.js';

// Running conversations against a model.
export {
  ConversationManager,
  ConversationUsageError,
  type ConversationManagerOptions,
  type CreateConversationOptions,
  type MessageInput,
  type UsageTotals,
  type ConversationReply,
} from './manager/conversation-manager.js';
export type { ConversationMiddleware, ConversationCallContext } from './manager/conversation-middleware.js';
export {
  redactConversation,
  responseValidator,
  contentFilter,
  conversationLogging,
  ConversationResponseRejectedError,
  type ValidationVerdict,
} from './manager/built-in-middleware.js';
export { fitToBudget, groupTurns, DEFAULT_SUMMARY_TEMPLATE, type ContextBudgetOptions, type BudgetResult } from './manager/context-budget.js';

// Flows: states, prompts and transitions over a conversation.
export {
  ConversationFlow,
  ConversationFlowRun,
  ConversationFlowError,
  type ConversationFlowDefinition,
  type FlowState,
  type FlowTransition,
  type FlowRunState,
  type FlowStepResult,
} from './flow/conversation-flow.js';
export type { FlowCondition, FlowConditionTarget, FlowClassifier, FlowTurn } from './flow/flow-condition.js';
