import { describe, expect, it } from 'vitest';
import { argumentsText, finishReasonFrom, metadataFrom, toolCallsFrom, usageFrom } from './ollama-reply.js';

describe('ollama-reply', () => {
  it('maps done_reason, with tool calls winning over stop', () => {
    expect(finishReasonFrom('stop', false)).toBe('stop');
    expect(finishReasonFrom(undefined, false)).toBe('stop');
    expect(finishReasonFrom('length', false)).toBe('length');
    expect(finishReasonFrom('load', false)).toBe('other');
    expect(finishReasonFrom('unload', false)).toBe('other');
    expect(finishReasonFrom('stop', true)).toBe('tool-calls');
  });

  it('reads usage, zero when a count is absent', () => {
    expect(usageFrom({ prompt_eval_count: 10, eval_count: 4 })).toEqual({ inputTokens: 10, outputTokens: 4, totalTokens: 14 });
    expect(usageFrom({})).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });

  it('keeps only the timings that were sent', () => {
    expect(metadataFrom({ done_reason: 'stop', total_duration: 5 })).toEqual({ doneReason: 'stop', totalDurationNs: 5 });
  });

  it('numbers tool calls from the given index, keeping object or string arguments', () => {
    const calls = toolCallsFrom(
      [
        { function: { name: 'a', arguments: { x: 1 } } },
        { function: { name: 'b', arguments: '{"y":2}' as unknown as Record<string, unknown> } },
      ],
      3,
    );
    expect(calls).toEqual([
      { id: 'call_3', name: 'a', arguments: { x: 1 } },
      { id: 'call_4', name: 'b', rawArguments: '{"y":2}' },
    ]);
    expect(calls.map(argumentsText)).toEqual(['{"x":1}', '{"y":2}']);
    expect(toolCallsFrom(undefined)).toEqual([]);
  });
});
