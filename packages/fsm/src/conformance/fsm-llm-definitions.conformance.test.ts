import { describe, expect, it } from 'vitest';
import { loadMachine, toDot, toMermaid, validateMachine } from '../declarative/index.js';
import { listCorpusFiles, readCorpusFile } from './test-support/fsm-llm-corpus.js';

const files = listCorpusFiles();

/** What each corpus file carries that Kit does not act on; the test fails if this changes unnoticed. */
const EXPECTED_IGNORED: Readonly<Record<string, readonly string[]>> = {
  'classification__classified_transitions__fsm.json': ['states.welcome.transition_classification'],
  'classification__classified_transitions__fsm_manual.json': ['states.greeting.transition_classification'],
};

describe('the LLM-FSM corpus: definitions', () => {
  it('holds the 14 definitions the README describes', () => {
    expect(files).toHaveLength(14);
  });

  describe.each(files)('%s', (file) => {
    const text = readCorpusFile(file);

    it('validates with no problems', () => {
      const result = validateMachine(JSON.parse(text));
      expect(result.problems).toEqual([]);
      expect(result.valid).toBe(true);
    });

    it('loads into a machine whose states and transitions match the file', () => {
      const raw = JSON.parse(text);
      const machine = loadMachine(text, { format: 'json', source: file });
      const rawStates: Record<string, any> = raw.states;
      expect(machine.name).toBe(raw.name);
      expect(machine.initialState).toBe(raw.initial_state);
      expect([...machine.states.keys()]).toEqual(Object.keys(rawStates));
      for (const [id, rawState] of Object.entries(rawStates)) {
        const state = machine.states.get(id)!;
        expect(state.transitions.map((t) => t.targetState)).toEqual((rawState.transitions ?? []).map((t: any) => t.target_state));
        expect(state.requiredContextKeys).toEqual(rawState.required_context_keys ?? []);
      }
      expect(machine.terminalStates.length).toBeGreaterThan(0);
    });

    it('reports the fields it ignores instead of dropping them silently', () => {
      const machine = loadMachine(text, { format: 'json' });
      const paths = machine.ignoredFields.map((f) => f.path);
      expect(paths).toEqual(EXPECTED_IGNORED[file] ?? []);
      for (const field of machine.ignoredFields) expect(field.reason.length).toBeGreaterThan(10);
      // Ignored fields stay in the machine's source, as written.
      expect(machine.source).toEqual(JSON.parse(text));
      console.info(`${file}: ${paths.length === 0 ? 'no ignored fields' : `ignored ${paths.join(', ')}`}`);
    });

    it('draws as Mermaid and DOT with every state, every edge, the initial and the terminal states', () => {
      const machine = loadMachine(text, { format: 'json' });
      const edges = [...machine.states.values()].reduce((sum, state) => sum + state.transitions.length, 0);
      const mermaid = toMermaid(machine);
      expect(mermaid.split('\n').filter((line) => / --> s\d+ : /.test(line))).toHaveLength(edges);
      expect(mermaid).toContain(`[*] --> s${[...machine.states.keys()].indexOf(machine.initialState)}`);
      expect(mermaid.split('\n').filter((line) => line.endsWith('--> [*]'))).toHaveLength(machine.terminalStates.length);
      const dot = toDot(machine);
      expect(dot.split('\n').filter((line) => line.includes(' -> ') && line.includes('[label='))).toHaveLength(edges);
      expect(dot.split('\n').filter((line) => line.includes('shape=doublecircle'))).toHaveLength(machine.terminalStates.length);
      for (const id of machine.states.keys()) expect(dot).toContain(`[label=${JSON.stringify(id)}`);
    });
  });
});
