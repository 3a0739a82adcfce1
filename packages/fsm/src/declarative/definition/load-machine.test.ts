import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MachineDefinitionError } from '../errors/machine-definition-error.js';
import { loadMachine, loadMachineFile, parseMachineDefinition } from './load-machine.js';

const yamlText = `
name: greeter
initial_state: hello
states:
  hello:
    purpose: Greet the user
    transitions:
      - target_state: bye
        conditions:
          - requires_context_keys: [name]
            logic: { has_context: name }
  bye:
    purpose: Say goodbye
`;

const jsonText = JSON.stringify({
  name: 'greeter',
  initial_state: 'hello',
  states: { hello: { transitions: [{ target_state: 'bye' }] }, bye: {} },
});

describe('loading definitions', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kit-fsm-load-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads YAML and JSON text, guessing the format from the first character', () => {
    const fromYaml = loadMachine(yamlText);
    expect(fromYaml.states.get('hello')!.transitions[0]!.conditions[0]!.requiresContextKeys).toEqual(['name']);
    expect(loadMachine(jsonText).terminalStates).toEqual(['bye']);
  });

  it('turns a syntax error into a MachineDefinitionError at the root', () => {
    expect(() => parseMachineDefinition('{"name": ', { format: 'json' })).toThrow(MachineDefinitionError);
    try {
      parseMachineDefinition('name: [unclosed', { format: 'yaml', source: 'bad.yaml' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MachineDefinitionError);
      expect((error as MachineDefinitionError).problems[0]!.path).toBe('');
      expect((error as MachineDefinitionError).message).toContain('bad.yaml');
      expect((error as MachineDefinitionError).problems[0]!.message).toMatch(/^not valid YAML/);
    }
  });

  it('refuses YAML that expands aliases without bound', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
    expect(() => parseMachineDefinition(bomb, { format: 'yaml' })).toThrow(MachineDefinitionError);
    expect(() => parseMachineDefinition(bomb, { format: 'yaml' })).toThrow(/alias/i);
  });

  it('loads files by extension and names the file in errors', async () => {
    const yamlFile = join(dir, 'greeter.yml');
    await writeFile(yamlFile, yamlText);
    expect((await loadMachineFile(yamlFile)).name).toBe('greeter');
    const badFile = join(dir, 'broken.json');
    await writeFile(badFile, JSON.stringify({ name: 'x', initial_state: 'nowhere', states: { a: {} } }));
    await expect(loadMachineFile(badFile)).rejects.toThrow(/broken\.json has 1 problem:\n- initial_state: the initial state "nowhere"/);
  });
});
