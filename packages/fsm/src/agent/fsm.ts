import { z } from 'zod';
import { AgentError } from './agent-error.js';
import { parseAgentInput } from './parse-agent-input.js';
import { lazySchema } from '../lazy-schema.js';

/** Each state and the states it may move to; a state with none is terminal. */
export type FsmTransitionMap = Readonly<Record<string, readonly string[]>>;

const mapSchema = lazySchema(() =>
  z
    .record(z.string().min(1, 'state names are non-empty'), z.array(z.string().min(1, 'state names are non-empty')))
    .refine((map) => Object.keys(map).length > 0, 'a machine needs at least one state')
    .superRefine((map, ctx) => {
      for (const [from, targets] of Object.entries(map)) {
        targets.forEach((to, i) => {
          if (!Object.hasOwn(map, to)) ctx.addIssue({ code: 'custom', path: [from, i], message: `"${to}" is not a state of this machine` });
        });
      }
    }),
);

/**
 * The minimal state machine: a plain map of state to allowed next states, a current state, and
 * validated moves. Every target must itself be a state (a typo is an `invalid-definition` error).
 *
 * @example
 * const fsm = new Fsm({ draft: ['review'], review: ['draft', 'published'], published: [] });
 * fsm.transition('review');
 * fsm.getNextStates(); // ['draft', 'published']
 */
export class Fsm {
  readonly #map: Map<string, readonly string[]>;
  #current: string;

  /**
   * Checks the map and starts in `options.initial` (default the first state). A target that is not
   * a state, an empty map or an unknown initial state is an `AgentError` `invalid-definition`.
   */
  constructor(transitions: FsmTransitionMap, options: { initial?: string | undefined } = {}) {
    const map = parseAgentInput(mapSchema(), transitions, 'state machine', 'invalid-definition');
    this.#map = new Map(Object.entries(map).map(([state, targets]) => [state, [...new Set(targets)]]));
    const initial = options.initial ?? this.#map.keys().next().value!;
    if (!this.#map.has(initial)) throw new AgentError('invalid-definition', `The initial state "${initial}" is not a state of this machine`);
    this.#current = initial;
  }

  /** The current state. */
  get current(): string {
    return this.#current;
  }

  /** Every state, in declaration order. */
  get states(): string[] {
    return [...this.#map.keys()];
  }

  /** The states `state` (default: the current one) may move to. */
  getNextStates(state: string = this.#current): string[] {
    return [...this.#targets(state)];
  }

  /** Whether the current state may move to `to`. */
  canTransition(to: string): boolean {
    return this.#targets(this.#current).includes(to);
  }

  /** Moves to `to`, or throws an `AgentError` (`invalid-transition`, or `unknown-state`) naming the allowed moves. */
  transition(to: string): string {
    if (!this.#map.has(to)) throw new AgentError('unknown-state', `"${to}" is not a state of this machine`);
    const allowed = this.#targets(this.#current);
    if (!allowed.includes(to)) {
      const options = allowed.length === 0 ? 'none: it is terminal' : allowed.join(', ');
      throw new AgentError('invalid-transition', `Cannot move from "${this.#current}" to "${to}"; allowed: ${options}`);
    }
    this.#current = to;
    return to;
  }

  /** Whether `state` (default: the current one) has no next states. */
  isTerminal(state: string = this.#current): boolean {
    return this.#targets(state).length === 0;
  }

  #targets(state: string): readonly string[] {
    const targets = this.#map.get(state);
    if (targets === undefined) throw new AgentError('unknown-state', `"${state}" is not a state of this machine`);
    return targets;
  }
}
