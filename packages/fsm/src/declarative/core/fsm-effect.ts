import type { ConditionFailure } from '../logic/evaluate-conditions.js';

/** Why a transition the model proposed was not taken. */
export type TransitionRefusalReason = 'unknown-state' | 'not-a-transition' | 'conditions-not-met';

/** Something the model asked for that the engine did not do, and why. */
export type FsmRefusal =
  | {
      kind: 'context-key';
      key: string;
      /** `system-key`: it starts with `_`; `reserved-key`: `__proto__`, `constructor`, `prototype` or empty. */
      reason: 'system-key' | 'reserved-key';
      message: string;
    }
  | {
      kind: 'transition';
      target: string;
      reason: TransitionRefusalReason;
      /** For `conditions-not-met`: each transition to the target and the conditions it failed. */
      unmet?: Array<{ transition: number; failures: ConditionFailure[] }>;
      message: string;
    };

/** The transition the engine took. */
export interface TakenTransition {
  from: string;
  to: string;
  /** Index in the state's `transitions`. */
  index: number;
  priority: number;
  description: string;
  /** Taken by the engine because its conditions hold, without the model proposing it. */
  automatic: boolean;
}

/** What a step of the core did; the runtime runs handlers and records from these. */
export type FsmEffect =
  | { type: 'context-updated'; keys: string[] }
  | { type: 'context-extra'; keys: string[] }
  | { type: 'refused'; refusal: FsmRefusal }
  | { type: 'state-changed'; transition: TakenTransition }
  | { type: 'machine-ended'; state: string };
