import { defineMachine, type Machine } from '@kit/fsm';
import type { CompletionRequest } from '@kit/llm';
import { scriptedModel, type ScriptedModel } from '@kit/llm/testing';
import { randomInt } from './random-int.js';
import { turnIndexOf } from './turn-plan.js';
import { turnAccounts } from './turn-account.js';

/** The state a conversation is in after `turn` user turns. */
export function stateAfter(turn: number): string {
  return `t${turn}`;
}

/**
 * A machine with one state per turn, `t0` to `t<turns>` (terminal): each user turn moves it one
 * state on. The state a conversation ends in tells how many turns it took.
 */
export function loadMachine(turns: number): Machine {
  const states: Record<string, { purpose: string; transitions?: Array<{ target_state: string; description: string }> }> = {};
  for (let t = 0; t < turns; t++) {
    states[stateAfter(t)] = { purpose: `Answer turn ${t + 1}`, transitions: [{ target_state: stateAfter(t + 1), description: `turn ${t + 1} arrived` }] };
  }
  states[stateAfter(turns)] = { purpose: 'Say goodbye' };
  return defineMachine({ name: 'load-test', initial_state: stateAfter(0), states });
}

/** The reply the scripted model writes to a turn (`tag` names the worker that ran it). */
export function replyText(userText: string, tag: string): string {
  return `reply to "${userText}" by ${tag}`;
}

export interface LoadModelOptions {
  /** Names the worker in every reply. */
  tag: string;
  random: () => number;
  minLatencyMs: number;
  maxLatencyMs: number;
}

function lastUserText(request: CompletionRequest): string {
  const last = request.messages.at(-1);
  return typeof last?.content === 'string' ? last.content : '';
}

/**
 * The load test's model: answers in the single-pass format, moving to the state of the turn
 * number in the user's text, after a random latency (uniform, in whole ms). Openings get plain
 * text. Every latency drawn is added to the running turn's account.
 */
export function loadModel(options: LoadModelOptions): ScriptedModel {
  return scriptedModel(
    [
      (request) => {
        const latencyMs = randomInt(options.random, options.minLatencyMs, options.maxLatencyMs);
        const account = turnAccounts.getStore();
        if (account !== undefined) {
          account.scriptedMs += latencyMs;
          account.modelCalls++;
        }
        if (request.responseFormat === undefined) return { text: `hello from ${options.tag}`, latencyMs };
        const text = lastUserText(request);
        const turn = turnIndexOf(text);
        const transition = turn === undefined ? null : { target_state: stateAfter(turn), context_update: {} };
        return { object: { transition, message: replyText(text, options.tag) }, latencyMs };
      },
    ],
    { loop: true, recordRequests: false, provider: 'scripted', modelId: 'load-test' },
  );
}
