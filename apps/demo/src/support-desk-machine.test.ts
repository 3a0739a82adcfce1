import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MachineDefinitionError, validateMachine } from '@kit/fsm';
import { describe, expect, it } from 'vitest';
import { loadSupportDeskMachine, withPersona } from './support-desk-machine.js';

describe('the support-desk machine file', () => {
  it('loads and validates with nothing ignored, one initial and one final state', async () => {
    const machine = await loadSupportDeskMachine();
    expect(machine.initialState).toBe('greeting');
    expect(machine.terminalStates).toEqual(['closed']);
    expect(machine.ignoredFields).toEqual([]);
    expect(validateMachine(machine.source).problems).toEqual([]);
  });

  it('takes a persona without changing its name, states or conditions', async () => {
    const machine = await loadSupportDeskMachine();
    const warm = withPersona(machine, 'a warm agent');
    expect(warm.persona).toBe('a warm agent');
    expect(warm.name).toBe(machine.name);
    expect([...warm.states.keys()]).toEqual([...machine.states.keys()]);
    expect(warm.states.get('diagnose')?.transitionsByPriority.map((t) => t.targetState)).toEqual(['escalate', 'resolve', 'escalate']);
  });

  it('refuses a broken definition with the problem and its path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kit-machine-'));
    try {
      const path = join(dir, 'broken.yaml');
      await writeFile(path, 'name: x\ninitial_state: a\nstates:\n  a:\n    transitions:\n      - target_state: nowhere\n');
      await expect(loadSupportDeskMachine(path)).rejects.toBeInstanceOf(MachineDefinitionError);
      await expect(loadSupportDeskMachine(path)).rejects.toThrow(/nowhere/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
