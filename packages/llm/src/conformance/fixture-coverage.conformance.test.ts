import { describe, expect, it } from 'vitest';
import { fixtureCoverage as anthropic } from '../anthropic/anthropic-fixtures.js';
import { fixtureCoverage as huggingface } from '../huggingface/huggingface-fixtures.js';
import { fixtureCoverage as ollama } from '../ollama/ollama-fixtures.js';
import { fixtureCoverage as openai } from '../openai/openai-fixtures.js';
import { listProviderFixtures } from './shared-fixtures.js';

describe('recorded provider payloads', () => {
  const claims = { ...openai, ...anthropic, ...ollama, ...huggingface };

  it('every file in ../shared/fixtures/providers is replayed by an adapter or listed with a reason', () => {
    const files = listProviderFixtures();
    expect(files.length).toBeGreaterThan(20);
    expect(files.filter((file) => !(file in claims))).toEqual([]);
  });

  it('no adapter claims a file that is not there, and every skip gives a reason', () => {
    const files = new Set(listProviderFixtures());
    expect(Object.keys(claims).filter((file) => !files.has(file))).toEqual([]);
    for (const [file, claim] of Object.entries(claims)) {
      if (claim !== 'covered') expect(claim.skipped.length, file).toBeGreaterThan(10);
    }
  });
});
