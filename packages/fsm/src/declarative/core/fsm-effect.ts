import type { ConditionFailure } from '../logic/evaluate-conditions.js';

/** Why a transition the model proposed was not taken. */
export type TransitionRefusalReason = 'unknown-state' | 'not-a-transition' | 'conditions-not-met';

/** Something the model asked for that the engine did not do, and why. */
export type FsmRefusal =
  | {
      /** A context key the model tried to set. */
      kind: 'context-key';
      /** The key as the model sent it. */
      key: string;
      /** `system-key`: it starts with `_`; `reserved-key`: `__proto__`, `constructor`, `prototype` or empty. */
      reason: 'system-key' | 'reserved-key';
      /** The refusal in words, for logs. */
      message: string;
    }
  | {
      /** A transition the model proposed. */
      kind: 'transition';
      /** The state the model proposed. */
      target: string;
      /** Why the state stayed. */
      reason: TransitionRefusalReason;
      /** For `conditions-not-met`: each transition to the target and the conditions it failed. */
      unmet?: Array<{
        /** The transition's index in the state's `transitions`. */
        transition: number;
        /** The conditions it failed. */
        failures: ConditionFailure[];
      }>;
      /** The refusal in words, for logs. */
      message: string;
    };

/** The transition the engine took. */
export interface TakenTransition {
  /** The state left. */
  from: string;
  /** The state entered (the same as `from` for a self-transition). */
  to: string;
  /** Index in the state's `transitions`. */
  index: number;
  /** The transition's priority: lower numbers win; default 100. */
  priority: number;
  /** The transition's description; `''` when it has none. */
  description: string;
  /** Taken by the engine because its conditions hold, without the model proposing it. */
  automatic: boolean;
}

/** What a step of the core did; the runtime runs handlers and records from these. */
export type FsmEffect =
  | {
      /** The model's extracted data was merged into the context. */
      type: 'context-updated';
      /** The keys set, in the order the model sent them. */
      keys: string[];
    }
  | {
      /** Keys the machine does not name were kept under `_extra`. */
      type: 'context-extra';
      /** The keys put under `_extra`. */
      keys: string[];
    }
  | {
      /** Something the model asked for was not done. */
      type: 'refused';
      /** What was refused and why. */
      refusal: FsmRefusal;
    }
  | {
      /** A transition was taken. */
      type: 'state-changed';
      /** The transition taken. */
      transition: TakenTransition;
    }
  | {
      /** A terminal state was entered. */
      type: 'machine-ended';
      /** The terminal state entered. */
      state: string;
    };
