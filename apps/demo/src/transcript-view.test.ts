import { describe, expect, it } from 'vitest';
import { transcriptView } from './transcript-view.js';

describe('transcriptView', () => {
  it('prints speakers, states, events and steps with hanging indents', () => {
    const lines = transcriptView(
      [
        { kind: 'agent', state: 'greeting', text: 'Hello there, how can I help you today with your order?' },
        { kind: 'customer', text: 'Hi' },
        { kind: 'event', text: 'greeting -> identify' },
        { kind: 'step', text: 'edit: a new branch' },
      ],
      50,
    );
    expect(lines).toEqual([
      'agent     [greeting]  Hello there, how can I help',
      '                      you today with your order?',
      'customer              Hi',
      '          · greeting -> identify',
      '',
      '» edit: a new branch',
      '',
    ]);
  });
});
