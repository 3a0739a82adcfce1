import { describe, expect, it } from 'vitest';
import { initialSnapshot } from '../core/fsm-snapshot.js';
import { defineMachine } from '../definition/define-machine.js';
import { FsmUsageError } from '../errors/fsm-usage-error.js';
import { FsmPromptBuilder } from './fsm-prompt-builder.js';

const machine = defineMachine({
  name: 'quiz',
  description: 'A short quiz',
  initial_state: 'ask',
  states: {
    ask: {
      purpose: 'Ask a question',
      required_context_keys: ['answer', 'player'],
      transitions: [
        { target_state: 'summary', description: 'the player stops', priority: 3, conditions: [{ description: 'wants to stop', requires_context_keys: ['stop'] }] },
        { target_state: 'grade', description: 'an answer came', priority: 1, conditions: [{ logic: { '<': [{ var: 'asked' }, 10] } }] },
      ],
    },
    grade: { transitions: [{ target_state: 'summary' }] },
    summary: {},
  },
});

describe('FsmPromptBuilder', () => {
  const builder = new FsmPromptBuilder();

  it('describes the state and its transitions by priority with their conditions', () => {
    const text = builder.instructions('singlePass', machine, 'ask');
    expect(text).toContain('You run one step of the conversation "quiz": A short quiz.');
    expect(text).not.toContain('You are');
    expect(text).toContain('<required_context_keys>answer, player</required_context_keys>');
    expect(text).not.toContain('<extraction_instructions>');
    expect(text).toContain(
      '<transitions>\n- "grade": an answer came (only when: rule {"<":[{"var":"asked"},10]})\n- "summary": the player stops (only when: wants to stop; needs stop)\n</transitions>',
    );
    expect(text).toContain('or to "ask" to stay');
  });

  it('renders a state\'s instructions once and returns the same string every turn', () => {
    expect(builder.instructions('analysis', machine, 'ask')).toBe(builder.instructions('analysis', machine, 'ask'));
    expect(builder.instructions('analysis', machine, 'ask')).not.toBe(builder.instructions('singlePass', machine, 'ask'));
  });

  it('puts the turn\'s data in its own message: the context and the keys still missing', () => {
    expect(builder.context(machine, initialSnapshot(machine, { player: 'Ada' }))).toBe(
      '<context>\n{"player":"Ada"}\n</context>\n<missing_context_keys>answer</missing_context_keys>',
    );
    expect(builder.context(machine, initialSnapshot(machine, { player: 'Ada', answer: 'x' }))).toBe('<context>\n{"player":"Ada","answer":"x"}\n</context>');
  });

  it('says a final state has no transitions, and the response prompt asks for text only', () => {
    const text = builder.instructions('response', machine, 'summary');
    expect(text).not.toContain('<transitions>');
    expect(text).toContain('Reply with the message text only.');
    expect(builder.instructions('analysis', machine, 'summary')).toContain('(none: "summary" is a final state; stay in it)');
  });

  it('renders replacement templates with their variables', () => {
    const custom = new FsmPromptBuilder({ response: 'State {{state_id}} of {{machine_name}}.', context: 'Known: {{context}}((; still missing {{missing_context_keys}}))' });
    expect(custom.instructions('response', machine, 'ask')).toBe('State ask of quiz.');
    expect(custom.context(machine, initialSnapshot(machine, { player: 'Bo' }))).toBe('Known: {"player":"Bo"}; still missing answer');
    expect(custom.context(machine, initialSnapshot(machine, { player: 'Bo', answer: 'y' }))).toBe('Known: {"player":"Bo","answer":"y"}');
  });

  it('refuses a template that uses a variable it does not get', () => {
    expect(() => new FsmPromptBuilder({ response: 'Context: {{context}}' })).toThrow(FsmUsageError);
    expect(() => new FsmPromptBuilder({ context: '{{purpose}}' })).toThrow(/the context prompt template uses \{\{purpose\}\}/);
  });
});
