import { describe, expect, it } from 'vitest';
import { englishCorpus } from './english-corpus.js';

describe('englishCorpus', () => {
  it('gives exactly the bytes asked for, of real text without special-token strings', () => {
    const text = englishCorpus(200_000);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(200_000);
    expect(Buffer.byteLength(text)).toBeGreaterThan(199_990);
    expect(text).not.toContain('<|');
    expect(text).toMatch(/\bthe\b/);
    expect(englishCorpus(200_000)).toBe(text); // the same text every time
  });
});
