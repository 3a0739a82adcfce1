import type { ScriptedTurn } from '@kit/llm/testing';
import { defineMachine } from '../definition/define-machine.js';

/** A small machine for runtime tests: name, then email (both guarded), a detour, a terminal. */
export const signupMachine = defineMachine({
  name: 'signup',
  description: 'Sign a user up',
  persona: 'a brisk clerk',
  initial_state: 'ask_name',
  states: {
    ask_name: {
      purpose: 'Get the name',
      extraction_instructions: 'Extract name',
      response_instructions: 'Ask for the name',
      required_context_keys: ['name'],
      transitions: [
        { target_state: 'ask_email', description: 'the name is known', priority: 1, conditions: [{ requires_context_keys: ['name'] }] },
        { target_state: 'help', description: 'the user is lost', priority: 50 },
      ],
    },
    help: { purpose: 'Explain the form', transitions: [{ target_state: 'ask_name', description: 'back to the form' }] },
    ask_email: {
      purpose: 'Get the email',
      required_context_keys: ['email'],
      transitions: [{ target_state: 'done', description: 'the email is known', conditions: [{ logic: { has_context: 'email' } }] }],
    },
    done: { purpose: 'Thank the user' },
  },
});

/** A single-pass reply as the model would send it. */
export function singlePass(message: string, targetState: string | null, contextUpdate: Record<string, unknown> = {}, reasoning?: string): ScriptedTurn {
  return { object: { transition: { target_state: targetState, context_update: contextUpdate }, message, ...(reasoning === undefined ? {} : { reasoning }) } };
}

/** The first pass of a two-pass turn. */
export function analysis(targetState: string | null, contextUpdate: Record<string, unknown> = {}): ScriptedTurn {
  return { object: { transition: { target_state: targetState, context_update: contextUpdate } } };
}
