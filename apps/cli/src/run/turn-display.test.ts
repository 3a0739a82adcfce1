import type { ConverseResult } from '@kit/fsm';
import picocolors from 'picocolors';
import { describe, expect, it } from 'vitest';
import { contextChanges, stateLine, turnLines } from './turn-display.js';

const plain = picocolors.createColors(false);

function result(overrides: Partial<ConverseResult>): ConverseResult {
  return { message: 'ok', state: 'intake', previousState: 'intake', context: {}, transitioned: false, refusals: [], machine: 'support', ended: false, ...overrides };
}

describe('turn display', () => {
  it('shows the state, and a change as from -> to with its reason', () => {
    expect(stateLine(result({}), plain)).toBe('state: intake');
    const moved = result({
      state: 'triage',
      transitioned: true,
      transition: { from: 'intake', to: 'triage', index: 0, priority: 1, description: 'the issue is known', automatic: false },
    });
    expect(stateLine(moved, plain)).toBe('state: intake -> triage (the issue is known)');
    expect(stateLine({ ...moved, ended: true }, plain)).toBe('state: intake -> triage (the issue is known) (the conversation has ended)');
  });

  it('lists what the turn changed in the context', () => {
    expect(contextChanges({ a: 1, b: 'x', gone: true }, { a: 1, b: 'y', c: { n: [1] } })).toEqual(['b = "y"', '+c = {"n":[1]}', '-gone']);
  });

  it('shows what the engine refused', () => {
    const lines = turnLines(
      result({ context: { issue: 'printer' }, refusals: [{ kind: 'context-key', key: '_admin', reason: 'system-key', message: 'the key "_admin" is a system key' }] }),
      {},
      plain,
    );
    expect(lines).toEqual(['state: intake', 'context: +issue = "printer"', 'refused: the key "_admin" is a system key']);
  });
});
