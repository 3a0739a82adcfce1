import { fileURLToPath } from 'node:url';
import { defineMachine, loadMachineFile, type Machine } from '@kit/fsm';

/** The machine file shipped with the demo (the same path from `src/` under vitest and from `dist/`). */
export const SUPPORT_DESK_MACHINE_FILE = fileURLToPath(new URL('../machines/support-desk.yaml', import.meta.url));

/** Loads and validates the support-desk machine; a definition with problems throws `MachineDefinitionError`. */
export function loadSupportDeskMachine(path: string = SUPPORT_DESK_MACHINE_FILE): Promise<Machine> {
  return loadMachineFile(path);
}

/**
 * The same machine speaking with another persona: the experiment's system prompt goes where the
 * definition's `persona` was. States, conditions and the name stay, so stored conversations of
 * either variant resume with either machine.
 */
export function withPersona(machine: Machine, persona: string): Machine {
  return defineMachine({ ...machine.source, persona });
}
