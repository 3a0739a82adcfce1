/**
 * `@kit/fsm`: LLM-driven state machines, declarative (the LLM-FSM JSON format) and code-first.
 * @packageDocumentation
 */

export * from './declarative/index.js';
export * from './agent/index.js';
