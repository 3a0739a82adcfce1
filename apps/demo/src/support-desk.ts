import type { ConversationStore } from '@kit/conversations';
import { OPENING_USER_MESSAGE, createRuntime, type ConverseResult, type FsmRuntime, type Machine } from '@kit/fsm';
import type { LanguageModel } from '@kit/llm';
import { scriptedModel, type ScriptedModel } from '@kit/llm/testing';
import { OFFLINE_MODEL_ID } from './demo-models.js';
import { orderLookupHandler, type OrderLookupListener } from './order-lookup-handler.js';
import { scriptedSupportAgent } from './scripted-support-agent.js';
import { withPersona } from './support-desk-machine.js';

/** Where a finished (or abandoned) session ended up, for the experiment's outcome. */
export interface SessionOutcome {
  /** The states the session went through, in order, the initial one first. */
  states: string[];
  finalState: string;
  ended: boolean;
  /** Reached `resolve` and never `escalate`: the experiment's success. */
  resolvedWithoutEscalation: boolean;
}

/** The outcome of a session from the states it went through. */
export function sessionOutcome(states: readonly string[], ended: boolean): SessionOutcome {
  const finalState = states.at(-1) ?? '';
  return {
    states: [...states],
    finalState,
    ended,
    resolvedWithoutEscalation: ended && states.includes('resolve') && !states.includes('escalate'),
  };
}

/**
 * The offline model of a support conversation: the scripted support agent, looping, standing in
 * for gpt-4o-mini. `failFirst` makes the first call fail with a rate limit, for `retry` to absorb.
 */
export function scriptedDeskModel(options: { failFirst?: boolean; recordRequests?: boolean } = {}): ScriptedModel {
  const agent = scriptedSupportAgent(OPENING_USER_MESSAGE);
  return scriptedModel([(request, index) => (options.failFirst === true && index === 0 ? { error: 'rate-limit' } : agent(request))], {
    modelId: OFFLINE_MODEL_ID,
    loop: true,
    recordRequests: options.recordRequests ?? false,
  });
}

const personaMachines = new WeakMap<Machine, Map<string, Machine>>();

/** The machine with a persona, defined (and validated) once per machine and persona, not per session. */
function machineWithPersona(machine: Machine, persona: string): Machine {
  let byPersona = personaMachines.get(machine);
  if (byPersona === undefined) personaMachines.set(machine, (byPersona = new Map()));
  let defined = byPersona.get(persona);
  if (defined === undefined) byPersona.set(persona, (defined = withPersona(machine, persona)));
  return defined;
}

/** Everything a support-desk runtime is made of. */
export interface SupportDeskRuntimeOptions {
  /** The machine as loaded from its file. */
  machine: Machine;
  /** The persona prompt the experiment serves. */
  persona: string;
  model: LanguageModel;
  /** Without one, conversations live in the runtime's memory. */
  store?: ConversationStore | undefined;
  onLookup?: OrderLookupListener | undefined;
}

/**
 * A runtime of the support-desk machine speaking with `persona`: two-pass (decide, then write the
 * reply from the state the turn ends in, so the reply can use what the order lookup found) with
 * the order-lookup handler.
 */
export function supportDeskRuntime(options: SupportDeskRuntimeOptions): FsmRuntime {
  return createRuntime({
    machine: machineWithPersona(options.machine, options.persona),
    model: options.model,
    store: options.store,
    handlers: [orderLookupHandler(options.onLookup)],
    mode: 'two-pass',
    maxRepairAttempts: 1,
  });
}

/** One customer turn's result, with what the turn did, for the transcript. */
export type TurnHandler = (customerText: string, result: ConverseResult) => void;

/**
 * Sends `lines` one by one until the machine ends or the lines run out, and returns the states the
 * conversation went through (the current one first).
 */
export async function converseLines(runtime: FsmRuntime, conversationId: string, lines: readonly string[], onTurn?: TurnHandler): Promise<{ states: string[]; ended: boolean }> {
  const states = [(await runtime.getSnapshot(conversationId)).state];
  let ended = false;
  for (const line of lines) {
    if (ended) break;
    const result = await runtime.converse(conversationId, line);
    onTurn?.(line, result);
    if (result.state !== states.at(-1)) states.push(result.state);
    ended = result.ended;
  }
  return { states, ended };
}
