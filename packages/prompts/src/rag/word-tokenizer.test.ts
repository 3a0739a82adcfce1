import { describe, expect, it } from 'vitest';
import { tokenizeWords } from './word-tokenizer.js';

describe('tokenizeWords', () => {
  it('lower-cases words of any script and drops punctuation', () => {
    expect(tokenizeWords('Hello, WORLD! Grüße aus Köln; Ελληνικά 42x')).toEqual(['hello', 'world', 'grüße', 'aus', 'köln', 'ελληνικά', '42x']);
  });

  it('treats composed and decomposed accents, and full-width forms, alike', () => {
    expect(tokenizeWords('Cafe\u0301')).toEqual(tokenizeWords('Café'));
    expect(tokenizeWords('ＡＢＣ１')).toEqual(['abc1']);
  });

  it('keeps combining marks inside words', () => {
    expect(tokenizeWords('हिन्दी भाषा')).toEqual(['हिन्दी', 'भाषा']);
  });

  it('reads template syntax and special tokens as plain words', () => {
    expect(tokenizeWords('{{x}} ((y)) {% if %} <|endoftext|>')).toEqual(['x', 'y', 'if', 'endoftext']);
    expect(tokenizeWords('  ... ')).toEqual([]);
  });
});
