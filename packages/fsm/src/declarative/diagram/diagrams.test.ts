import { describe, expect, it } from 'vitest';
import { defineMachine } from '../definition/define-machine.js';
import { toDot } from './to-dot.js';
import { toMermaid } from './to-mermaid.js';

const machine = defineMachine({
  name: 'order "flow"',
  initial_state: 'cart',
  states: {
    cart: {
      transitions: [
        { target_state: 'pay', description: 'checkout', priority: 1, conditions: [{ description: 'has items', requires_context_keys: ['items'], logic: { '>': [{ var: 'count' }, 0] } }] },
        { target_state: 'end', description: 'abandon; "quit"' },
      ],
    },
    pay: { transitions: [{ target_state: 'end' }] },
    end: {},
  },
});

describe('toMermaid', () => {
  it('marks the initial and terminal states and writes each edge with its conditions', () => {
    expect(toMermaid(machine)).toBe(
      [
        'stateDiagram-v2',
        '  state "cart" as s0',
        '  state "pay" as s1',
        '  state "end" as s2',
        '  [*] --> s0',
        '  s0 --> s1 : checkout (priority 1) / when has items#59; needs items#59; #123;#quot;#gt;#quot;#58;[#123;#quot;var#quot;#58;#quot;count#quot;#125;,0]#125;',
        '  s0 --> s2 : abandon#59; #quot;quit#quot; (priority 100)',
        '  s1 --> s2 : priority 100',
        '  s2 --> [*]',
        '',
      ].join('\n'),
    );
  });
});

describe('toDot', () => {
  it('marks the initial and terminal states and writes each edge with its conditions', () => {
    const dot = toDot(machine);
    expect(dot.startsWith('digraph "order \\"flow\\"" {\n')).toBe(true);
    expect(dot).toContain('  "__start" [shape=point, label=""];');
    expect(dot).toContain('  "__start" -> "cart";');
    expect(dot).toContain('  "cart" [label="cart", style="rounded,bold"];');
    expect(dot).toContain('  "end" [label="end", shape=doublecircle];');
    expect(dot).toContain('  "cart" -> "pay" [label="checkout (priority 1)\\nwhen has items; needs items; {\\">\\":[{\\"var\\":\\"count\\"},0]}"];');
    expect(dot).toContain('  "cart" -> "end" [label="abandon; \\"quit\\" (priority 100)"];');
    expect(dot.trimEnd().endsWith('}')).toBe(true);
  });

  it('never collides with a state named like its start point', () => {
    const tricky = defineMachine({ name: 'm', initial_state: '__start', states: { __start: { transitions: [{ target_state: 'b' }] }, b: {} } });
    expect(toDot(tricky)).toContain('  "___start" -> "__start";');
  });
});
