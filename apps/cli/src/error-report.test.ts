import { describe, expect, it } from 'vitest';
import { dataError, usageError } from './cli-error.js';
import { reportError } from './error-report.js';

// The CLI loads the packages lazily (fast start); Nx's boundary rule then wants every import of them dynamic.
const [{ KitError, ProviderError }, { MachineDefinitionError, FsmReplyError, FsmSessionError }, { MissingParametersError, PromptStoreError }, { ConversationStoreError }] =
  await Promise.all([import('@kit/llm'), import('@kit/fsm'), import('@kit/prompts'), import('@kit/conversations')]);

describe('reportError', () => {
  it('gives each kind of failure its exit code', () => {
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open 'm.yaml'"), { code: 'ENOENT', syscall: 'open', path: 'm.yaml' });
    const cases: Array<[unknown, number]> = [
      [usageError('bad flag'), 2],
      [dataError('bad data'), 1],
      [new MachineDefinitionError([{ path: 'states.a', message: 'bad' }]), 1],
      [new MissingParametersError(['product']), 1],
      [new PromptStoreError('not-found', 'no experiment "x"'), 1],
      [new PromptStoreError('closed', 'closed'), 3],
      [new ConversationStoreError('not-found', 'gone'), 1],
      [new FsmSessionError('not-found', 'c1', 'no such conversation'), 1],
      [new FsmReplyError('nope', 3, 'not JSON'), 3],
      [new ProviderError({ kind: 'rate-limit', message: 'slow down' }), 3],
      [new KitError('model/unknown', 'not a model string'), 2],
      [enoent, 1],
      [new Error('boom'), 3],
      ['a string', 3],
    ];
    for (const [error, code] of cases) expect(reportError(error).exitCode, String(error)).toBe(code);
  });

  it('lists a definition’s problems as detail lines', () => {
    const report = reportError(new MachineDefinitionError([{ path: 'states.a.transitions[0].target_state', message: 'unknown target state "x"' }, { path: '', message: 'no terminal' }], { source: 'm.yaml' }));
    expect(report).toEqual({
      exitCode: 1,
      message: 'The machine definition in m.yaml has 2 problems',
      details: ['states.a.transitions[0].target_state: unknown target state "x"', '(definition): no terminal'],
    });
  });

  it('says which file cannot be read', () => {
    const error = Object.assign(new Error('EISDIR'), { code: 'EISDIR', syscall: 'read', path: 'machines/' });
    expect(reportError(error).message).toBe('cannot read machines/: it is a directory');
  });
});
