import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../types/stream-part.js';
import { compactStreamParts, expandStreamParts } from './compact-stream-parts.js';

const parts: StreamPart[] = [
  { type: 'reasoning-delta', text: 'think', signature: 's' },
  { type: 'text-delta', text: 'Hel' },
  { type: 'text-delta', text: '' },
  { type: 'text-delta', text: 'lo <|endoftext|> {{x}}' },
  { type: 'tool-call-start', id: 't', name: 'lookup' },
  { type: 'text-delta', text: 'é🙂' },
  { type: 'usage', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } },
  { type: 'finish', finishReason: 'stop', providerMetadata: { id: 'r1' } },
];

describe('compactStreamParts', () => {
  it('gives back the same parts, one for one, empty and non-ASCII texts included', () => {
    expect(expandStreamParts(compactStreamParts(parts))).toEqual(parts);
  });

  it('keeps runs of text deltas as one string each, not one object per part', () => {
    const many: StreamPart[] = Array.from({ length: 1_000 }, (_, i) => ({ type: 'text-delta', text: `w${i}` }));
    const compact = compactStreamParts([...many, { type: 'finish', finishReason: 'stop' }]);
    expect(compact).toHaveLength(2);
    expect(expandStreamParts(compact)).toHaveLength(1_001);
  });

  it('keeps a text delta that carries more than its text exactly, as a part of its own', () => {
    const odd = [{ type: 'text-delta', text: 'a', extra: 1 } as StreamPart, { type: 'text-delta', text: 'b' } as StreamPart];
    expect(expandStreamParts(compactStreamParts(odd))).toEqual(odd);
  });

  it('shares nothing with the parts it was made from or with what it expands to', () => {
    const source: StreamPart[] = [{ type: 'usage', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } }];
    const compact = compactStreamParts(source);
    (source[0] as { usage: { inputTokens: number } }).usage.inputTokens = 99;
    const first = expandStreamParts(compact);
    (first[0] as { usage: { inputTokens: number } }).usage.inputTokens = 42;
    expect(expandStreamParts(compact)).toEqual([{ type: 'usage', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } }]);
  });
});
