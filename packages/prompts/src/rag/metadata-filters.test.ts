import { describe, expect, it } from 'vitest';
import { matchesFilters } from './metadata-filters.js';

describe('matchesFilters', () => {
  const metadata = { lang: 'en', year: 2024, draft: false, tags: ['a', 'b'], nothing: undefined, nan: Number.NaN };

  it('matches everything without filters', () => {
    expect(matchesFilters(metadata, undefined)).toBe(true);
    expect(matchesFilters(metadata, {})).toBe(true);
    expect(matchesFilters({}, {})).toBe(true);
  });

  it('compares fields by equality, without type coercion', () => {
    expect(matchesFilters(metadata, { lang: 'en', year: 2024, draft: false })).toBe(true);
    expect(matchesFilters(metadata, { lang: 'de' })).toBe(false);
    expect(matchesFilters(metadata, { year: '2024' })).toBe(false);
    expect(matchesFilters(metadata, { draft: 0 })).toBe(false);
    expect(matchesFilters(metadata, { nan: Number.NaN })).toBe(true);
  });

  it('reads an array filter as "any of", and an empty one as nothing', () => {
    expect(matchesFilters(metadata, { lang: ['de', 'en'] })).toBe(true);
    expect(matchesFilters(metadata, { lang: ['de', 'fr'] })).toBe(false);
    expect(matchesFilters(metadata, { lang: [] })).toBe(false);
    // An array-valued field equals one of the alternatives, compared structurally.
    expect(matchesFilters(metadata, { tags: [['a', 'b'], ['c']] })).toBe(true);
    expect(matchesFilters(metadata, { tags: [['b', 'a']] })).toBe(false);
    expect(matchesFilters({ where: { city: 'Oslo', zip: 1 } }, { where: { zip: 1, city: 'Oslo' } })).toBe(true);
  });

  it('does not match a missing field, an undefined one, or an inherited one', () => {
    expect(matchesFilters(metadata, { author: 'x' })).toBe(false);
    expect(matchesFilters(metadata, { author: undefined })).toBe(false);
    expect(matchesFilters(metadata, { nothing: undefined })).toBe(false);
    expect(matchesFilters({}, { constructor: Object })).toBe(false);
  });
});
