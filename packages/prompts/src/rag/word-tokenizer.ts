/**
 * Splits text into lower-cased words: runs of letters, digits and combining marks in any
 * script. Text is NFKC-normalised first, so composed and decomposed accents, full-width forms
 * and ligatures give the same words. Marks are word characters so that scripts that write
 * vowels as marks (Devanagari, say) are not cut inside words.
 */
export function tokenizeWords(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
}
