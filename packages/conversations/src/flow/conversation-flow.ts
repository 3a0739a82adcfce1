import { KitError } from '@kit/llm';
import type { ConversationManager } from '../manager/conversation-manager.js';
import { buildClassifier, compileCondition, type FlowClassifier, type FlowCondition, type FlowTurn } from './flow-condition.js';

/** A flow used wrongly, or a state that looped past its limit with nowhere to go. */
export class ConversationFlowError extends KitError {
  /** Builds the error with `code` `conversation-flow`. */
  constructor(message: string) {
    super('conversation-flow', message);
  }
}

/** A way out of a flow state: to the state `to`, when the condition `when` holds after a reply. */
export interface FlowTransition {
  /** The state to move to; must be a key of the flow's `states` (the constructor checks). */
  to: string;
  /** The test run on the turn after each reply in the state that owns this transition. */
  when: FlowCondition;
}

/**
 * One state of a conversation flow: the prompt that frames its turn, the transitions tested after
 * each reply, and its hooks.
 */
export interface FlowState {
  /** A user prompt of the manager's prompt library that frames this state's turn; it gets `input` and `params`. Without one, the input is sent as it is. */
  prompt?: string | undefined;
  /** Extra values for `prompt`; the step's `input` is added as `input`, over a param of that name. */
  params?: Readonly<Record<string, unknown>> | undefined;
  /** Tested in order after each reply; the first that holds moves the flow. None: the state repeats. */
  transitions?: readonly FlowTransition[] | undefined;
  /** Turns this state may take before `onMaxLoops` (default: an error). Default 10. */
  maxLoops?: number | undefined;
  /** The state to move to after `maxLoops` turns without a transition; must be a key of `states`. */
  onMaxLoops?: string | undefined;
  /** The flow ends here: at once, or after one closing turn when `waitForInput` is false. */
  final?: boolean | undefined;
  /** The state needs the user's next input before its turn (default true). False: it runs on entry with no input. */
  waitForInput?: boolean | undefined;
  /** Runs when the flow enters this state, before its first turn. */
  onEnter?: ((run: FlowRunState) => void | Promise<void>) | undefined;
  /** Runs when the flow leaves this state, before it enters the next. */
  onExit?: ((run: FlowRunState) => void | Promise<void>) | undefined;
}

/**
 * A conversation flow: its name, the state it starts in, its states by name, and the classifier
 * `classifiedAs` conditions use.
 */
export interface ConversationFlowDefinition {
  /** Saved with the run (`FlowRunState.flow`); `resume` only continues a run saved under this name. */
  name: string;
  /** The state a run starts in; must be a key of `states`. */
  initial: string;
  /** Every state, by name; transitions and `onMaxLoops` refer to these names. */
  states: Readonly<Record<string, FlowState>>;
  /** Needed by `classifiedAs` conditions. */
  classifier?: FlowClassifier | undefined;
}

/** A run's position, saved in the conversation's metadata under `kit.flow` after every step. */
export interface FlowRunState {
  /** The flow's `name`. */
  flow: string;
  /** The name of the state the run is in. */
  state: string;
  /** Turns taken in the current state. */
  loops: number;
  /** `waiting` for the user's next input, `running` mid-step (or stopped by an error), `done` in a final state. */
  status: 'waiting' | 'running' | 'done';
  /** States entered, in order. */
  path: string[];
}

/** What one `step` did. */
export interface FlowStepResult {
  /** The state the step's turn ran in. */
  from: string;
  /** The state that turn moved to (`from` when no transition held), before states that need no input ran on. */
  to: string;
  /** The model's reply text for the turn, as the model returned it (before `afterResponse` middleware). */
  reply?: string | undefined;
  /** The run after the step, including states that ran on without input; `run.state` may differ from `to`. */
  run: FlowRunState;
}

const METADATA_KEY = 'kit.flow';

/**
 * A conversation flow: named states, each framing its turn with a prompt, and transitions
 * chosen by tests on the reply or the input (keywords on word boundaries, regexes, a JSON field,
 * an LLM classifier built once, or your function). The run is saved in the conversation's
 * metadata after every step, so `resume` continues it after a restart.
 *
 * @example
 * const flow = new ConversationFlow({ name: 'support', initial: 'triage', states: {
 *   triage: { prompt: 'triage', transitions: [{ to: 'refund', when: { keyword: 'refund', on: 'input' } }] },
 *   refund: { prompt: 'refund', final: true },
 * } });
 * const run = await flow.start(chat);
 * await run.step('I want a refund');
 */
export class ConversationFlow {
  /** The definition this flow was built from, as given (not copied). */
  readonly definition: ConversationFlowDefinition;
  readonly #tests = new Map<FlowTransition, (turn: FlowTurn) => Promise<boolean>>();

  /**
   * Checks the definition and compiles its conditions and classifier once.
   * @throws ConversationFlowError when `initial`, a transition's `to` or an `onMaxLoops` names no
   *   state, or a `classifiedAs` condition is used without a `classifier`.
   */
  constructor(definition: ConversationFlowDefinition) {
    this.definition = definition;
    if (definition.states[definition.initial] === undefined) throw new ConversationFlowError(`initial state "${definition.initial}" is not defined`);
    const classify = definition.classifier === undefined ? undefined : buildClassifier(definition.classifier);
    for (const [name, state] of Object.entries(definition.states)) {
      for (const transition of state.transitions ?? []) {
        if (definition.states[transition.to] === undefined) throw new ConversationFlowError(`state "${name}" moves to unknown state "${transition.to}"`);
        if ('classifiedAs' in transition.when && classify === undefined) throw new ConversationFlowError(`state "${name}" uses classifiedAs but the flow has no classifier`);
        this.#tests.set(transition, compileCondition(transition.when, classify ?? (async () => undefined)));
      }
      if (state.onMaxLoops !== undefined && definition.states[state.onMaxLoops] === undefined) {
        throw new ConversationFlowError(`state "${name}" falls back to unknown state "${state.onMaxLoops}"`);
      }
    }
  }

  /** Starts a run on a conversation (entering the initial state, and running it if it needs no input). */
  async start(manager: ConversationManager): Promise<ConversationFlowRun> {
    const run = new ConversationFlowRun(this, manager, { flow: this.definition.name, state: this.definition.initial, loops: 0, status: 'running', path: [this.definition.initial] });
    await this.definition.states[this.definition.initial]!.onEnter?.(run.state);
    await run.advanceWithoutInput();
    return run;
  }

  /** Continues the run saved in a conversation's metadata. */
  resume(manager: ConversationManager): ConversationFlowRun {
    const saved = manager.metadata[METADATA_KEY] as FlowRunState | undefined;
    if (saved === undefined || saved.flow !== this.definition.name) throw new ConversationFlowError(`conversation "${manager.id}" holds no run of flow "${this.definition.name}"`);
    if (this.definition.states[saved.state] === undefined) throw new ConversationFlowError(`the saved state "${saved.state}" is not in flow "${this.definition.name}"`);
    return new ConversationFlowRun(this, manager, structuredClone(saved));
  }

  /** @internal */
  testFor(transition: FlowTransition): (turn: FlowTurn) => Promise<boolean> {
    return this.#tests.get(transition)!;
  }
}

/** One run of a flow over one conversation. */
export class ConversationFlowRun {
  readonly #flow: ConversationFlow;
  readonly #manager: ConversationManager;
  #state: FlowRunState;

  /** @internal use `ConversationFlow.start` or `resume` */
  constructor(flow: ConversationFlow, manager: ConversationManager, state: FlowRunState) {
    this.#flow = flow;
    this.#manager = manager;
    this.#state = state;
  }

  /** A copy of the run's position: changing it does not change the run. */
  get state(): FlowRunState {
    return structuredClone(this.#state);
  }

  /** True once the run reached a final state; `step` then throws. */
  get done(): boolean {
    return this.#state.status === 'done';
  }

  /** One turn: the user's input (if the state waits for it), the model's reply, then the transition. */
  async step(input = ''): Promise<FlowStepResult> {
    if (this.done) throw new ConversationFlowError(`flow "${this.#state.flow}" is done (final state "${this.#state.state}")`);
    const result = await this.#turn(input);
    await this.advanceWithoutInput();
    return { ...result, run: this.state };
  }

  /** @internal Runs states that need no input until one waits or the flow ends, then saves. */
  async advanceWithoutInput(): Promise<void> {
    for (let guard = 0; guard < 100 && !this.done; guard++) {
      const state = this.#definition(this.#state.state);
      if (state.waitForInput !== false) break;
      await this.#turn('');
    }
    if (!this.done) this.#state.status = 'waiting';
    await this.#save();
  }

  async #turn(input: string): Promise<Omit<FlowStepResult, 'run'>> {
    const from = this.#state.state;
    const state = this.#definition(from);
    this.#state.status = 'running';
    if (state.prompt !== undefined) await this.#manager.addMessage({ promptName: state.prompt, params: { ...state.params, input } });
    else if (input !== '') await this.#manager.addMessage(input);
    else throw new ConversationFlowError(`state "${from}" has no prompt and got no input`);
    const { response } = await this.#manager.complete();
    const reply = response.text;
    this.#state.loops++;
    if (state.final === true) {
      // A final state that runs on entry (a closing message) takes its one turn, then ends.
      this.#state.status = 'done';
      return { from, to: from, reply };
    }

    let to: string | undefined;
    for (const transition of state.transitions ?? []) {
      if (await this.#flow.testFor(transition)({ input, reply, state: from })) {
        to = transition.to;
        break;
      }
    }
    if (to === undefined && this.#state.loops >= (state.maxLoops ?? 10)) {
      if (state.onMaxLoops === undefined) {
        await this.#save();
        throw new ConversationFlowError(`state "${from}" took ${this.#state.loops} turns without a transition`);
      }
      to = state.onMaxLoops;
    }
    if (to !== undefined) await this.#enter(to);
    return { from, to: this.#state.state, reply };
  }

  async #enter(next: string): Promise<void> {
    await this.#definition(this.#state.state).onExit?.(this.state);
    this.#state = { ...this.#state, state: next, loops: 0, path: [...this.#state.path, next] };
    const state = this.#definition(next);
    await state.onEnter?.(this.state);
    // A final state either runs one closing turn on entry (`waitForInput: false`) or ends at once.
    if (state.final === true && state.waitForInput !== false) this.#state.status = 'done';
  }

  #definition(name: string): FlowState {
    return this.#flow.definition.states[name]!;
  }

  async #save(): Promise<void> {
    await this.#manager.updateMetadata({ [METADATA_KEY]: this.#state });
  }
}
