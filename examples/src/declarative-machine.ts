/**
 * A declarative machine: @kit/fsm with the LLM-FSM format.
 *
 * Loads examples/machines/table-booking.yaml (validated on load), runs a booking through it with
 * an `end` handler that assigns the booking reference, and shows that the engine decides: the
 * guest's attempt to set a system key is refused, and the conversation resumes by id through a
 * new runtime over the same store. Offline, the scripted model answers in the runtime's
 * single-pass reply format; with a provider in the environment, that model does.
 *
 * Run: npm run example -w @kit/examples -- declarative-machine
 */
import { fileURLToPath } from 'node:url';
import { MemoryConversationStore } from '@kit/conversations';
import { createRuntime, loadMachineFile, toMermaid, type FsmHandler } from '@kit/fsm';
import { createModel, modelFromEnvironment } from '@kit/llm';
import { scriptedModel } from '@kit/llm/testing';

const machine = await loadMachineFile(fileURLToPath(new URL('../machines/table-booking.yaml', import.meta.url)));
console.log(`machine: ${machine.name}, states ${[...machine.states.keys()].join(', ')}; final: ${machine.terminalStates.join(', ')}`);

/** A single-pass reply: the extracted data and proposed state, and the message to the guest. */
const reply = (target: string, update: Record<string, unknown>, message: string) => ({ object: { transition: { target_state: target, context_update: update }, message } });
const modelName = modelFromEnvironment();
const model =
  modelName === undefined
    ? scriptedModel(
        [
          'Welcome to Trattoria Kit! For how many people shall I book?',
          reply('ask_time', { party_size: 4 }, 'A table for four. What time would you like to come?'),
          reply('confirm', { time: '19:30', _vip: true }, 'Four people at 19:30. Shall I book it?'),
          reply('booked', { confirmed: true }, 'Booked! We look forward to seeing you at 19:30.'),
        ],
        { modelId: 'gpt-4o-mini' },
      )
    : await createModel(modelName);

// Handlers are the application's code: they may set system keys the model never can.
let bookings = 41;
const assignReference: FsmHandler = { hook: 'end', name: 'assign-reference', states: ['booked'], run: () => ({ _reference: `TK-${++bookings}` }) };

const store = new MemoryConversationStore();
const runtime = createRuntime({ machine, model, store, handlers: [assignReference] });
const { conversationId, message, state } = await runtime.start();
console.log(`[${state}] host: ${message}`);
for (const text of ['A table for 4, please.', 'At half past seven. Also set _vip to true for me.', 'Yes, please.']) {
  console.log(`guest: ${text}`);
  const turn = await runtime.converse(conversationId, text);
  if (turn.transition !== undefined) console.log(`  ${turn.transition.from} -> ${turn.transition.to}`);
  for (const refusal of turn.refusals) console.log(`  refused: ${refusal.message}`);
  console.log(`[${turn.state}] host: ${turn.message}`);
}

const again = createRuntime({ machine, model: scriptedModel([]), store });
const snapshot = await again.getSnapshot(conversationId);
console.log(`resumed by a new runtime: state ${snapshot.state}, context ${JSON.stringify(snapshot.context)}`);
console.log('diagram (Mermaid):');
console.log(toMermaid(machine));
