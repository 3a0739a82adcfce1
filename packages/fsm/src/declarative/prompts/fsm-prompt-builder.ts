import { compileConditional, type CompiledConditionalTemplate } from '@kit/prompts';
import type { FsmSnapshot } from '../core/fsm-snapshot.js';
import type { Machine, MachineState, MachineTransition } from '../definition/machine.js';
import { FsmUsageError } from '../errors/fsm-usage-error.js';
import { hasContextValue } from '../logic/context-path.js';
import {
  DEFAULT_ANALYSIS_TEMPLATE,
  DEFAULT_CONTEXT_TEMPLATE,
  DEFAULT_RESPONSE_TEMPLATE,
  DEFAULT_SINGLE_PASS_TEMPLATE,
  PROMPT_TEMPLATE_VARIABLES,
  type FsmPromptTemplates,
} from './default-prompt-templates.js';
import { renderDefaultContextPrompt } from './default-context-prompt.js';
import { promptContextJson } from './prompt-context-json.js';

/** Which instructions a call needs. */
export type FsmPromptKind = 'singlePass' | 'analysis' | 'response';

/**
 * Renders the runtime's two system messages: a state's instructions (rendered once per state and
 * kind, then reused: the same string every turn) and the turn's data (the context and the keys
 * still missing).
 */
export class FsmPromptBuilder {
  readonly #instructions: Record<FsmPromptKind, CompiledConditionalTemplate>;
  /** Undefined with the default context template, which is written directly (see `renderDefaultContextPrompt`). */
  readonly #context: CompiledConditionalTemplate | undefined;
  readonly #rendered = new WeakMap<MachineState, Partial<Record<FsmPromptKind, string>>>();

  /** Throws `FsmUsageError` for a template that uses a variable it does not get. */
  constructor(templates: FsmPromptTemplates = {}) {
    this.#instructions = {
      singlePass: compileChecked('singlePass', templates.singlePass ?? DEFAULT_SINGLE_PASS_TEMPLATE, PROMPT_TEMPLATE_VARIABLES.instructions),
      analysis: compileChecked('analysis', templates.analysis ?? DEFAULT_ANALYSIS_TEMPLATE, PROMPT_TEMPLATE_VARIABLES.instructions),
      response: compileChecked('response', templates.response ?? DEFAULT_RESPONSE_TEMPLATE, PROMPT_TEMPLATE_VARIABLES.instructions),
    };
    const context = templates.context ?? DEFAULT_CONTEXT_TEMPLATE;
    this.#context = context === DEFAULT_CONTEXT_TEMPLATE ? undefined : compileChecked('context', context, PROMPT_TEMPLATE_VARIABLES.context);
  }

  /** The instructions of `kind` for a state: the same string for every turn in that state. */
  instructions(kind: FsmPromptKind, machine: Machine, stateId: string): string {
    const state = machine.states.get(stateId)!;
    let byKind = this.#rendered.get(state);
    if (byKind === undefined) this.#rendered.set(state, (byKind = {}));
    return (byKind[kind] ??= this.#instructions[kind].render({
      persona: machine.persona,
      machine_name: machine.name,
      machine_description: machine.description,
      state_id: state.id,
      state_description: state.description,
      purpose: state.purpose,
      extraction_instructions: state.extractionInstructions,
      response_instructions: state.responseInstructions,
      required_context_keys: state.requiredContextKeys.join(', '),
      transitions: describeTransitions(state),
    }));
  }

  /** The turn's data: the context (tags neutralised, system keys left out) and the state's missing keys. */
  context(machine: Machine, snapshot: FsmSnapshot): string {
    const state = machine.states.get(snapshot.state)!;
    let missing = '';
    for (const key of state.requiredContextKeys) {
      if (!hasContextValue(snapshot.context, key)) missing = missing === '' ? key : `${missing}, ${key}`;
    }
    const json = promptContextJson(snapshot.context);
    return this.#context === undefined ? renderDefaultContextPrompt(json, missing) : this.#context.render({ context: json, missing_context_keys: missing });
  }
}

function compileChecked(name: string, template: string, allowed: readonly string[]): CompiledConditionalTemplate {
  const compiled = compileConditional(template);
  const unknown = compiled.variables.filter((variable) => !allowed.includes(variable));
  if (unknown.length > 0) {
    throw new FsmUsageError(`the ${name} prompt template uses ${unknown.map((v) => `{{${v}}}`).join(', ')}; it can use ${allowed.map((v) => `{{${v}}}`).join(', ')}`);
  }
  return compiled;
}

function describeTransitions(state: MachineState): string {
  if (state.terminal) return `(none: "${state.id}" is a final state; stay in it)`;
  return state.transitionsByPriority.map(describeTransition).join('\n');
}

function describeTransition(transition: MachineTransition): string {
  const parts = [`- "${transition.targetState}"`];
  if (transition.description !== '') parts.push(`: ${transition.description}`);
  const conditions = transition.conditions.map((condition) => {
    const tests: string[] = [];
    if (condition.description !== '') tests.push(condition.description);
    if (condition.requiresContextKeys.length > 0) tests.push(`needs ${condition.requiresContextKeys.join(', ')}`);
    if (condition.logic !== undefined) tests.push(`rule ${JSON.stringify(condition.logic)}`);
    return tests.join('; ');
  });
  const tested = conditions.filter((text) => text !== '');
  if (tested.length > 0) parts.push(` (only when: ${tested.join(' and ')})`);
  return parts.join('');
}
