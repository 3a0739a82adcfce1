import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as packageRoot from '../index.js';
import { ResponseParseError } from '../errors/prompt-error.js';
import { ResponseParser } from './response-parser.js';
import { ResponseSchemaError } from './response-schema-error.js';

const reply = [
  'Sure! Here is my review of the change.',
  '',
  '## Verdict',
  'Status: approved',
  '',
  '```json',
  '{"approved": true, "score": 8}',
  '```',
  '',
  '## Issues',
  '1) Naming is unclear',
  '   - `foo` should say what it holds',
  '2) Missing tests',
  '',
  '## Suggested patch',
  '```ts title="fix.ts"',
  'export const total = 0;',
  '```',
].join('\n');

describe('ResponseParser', () => {
  const parser = new ResponseParser();

  it('reads every kind of structure from one reply', () => {
    expect(parser.extractJson(reply, { schema: z.object({ approved: z.boolean(), score: z.number() }) })).toEqual({
      approved: true,
      score: 8,
    });
    expect(parser.tryExtractJson(reply)).toEqual({ approved: true, score: 8 });
    expect(parser.extractAllJson(reply)).toEqual([{ approved: true, score: 8 }]);
    expect(parser.extractCodeBlocks(reply, { language: 'ts' })).toEqual([
      { language: 'ts', info: 'ts title="fix.ts"', code: 'export const total = 0;', closed: true },
    ]);
    expect(parser.extractSections(reply).map((section) => section.heading)).toEqual(['', 'Verdict', 'Issues', 'Suggested patch']);
    const issues = parser.section(reply, 'issues')?.content ?? '';
    expect(parser.extractList(issues)).toEqual([
      { text: 'Naming is unclear', depth: 0, ordered: true },
      { text: '`foo` should say what it holds', depth: 1, ordered: false },
      { text: 'Missing tests', depth: 0, ordered: true },
    ]);
    expect(parser.extractListStrings(issues)).toHaveLength(3);
    expect(parser.extractKeyValues(reply)).toEqual([{ key: 'Status', value: 'approved' }]);
  });

  it('throws typed errors through the class too', () => {
    expect(() => parser.extractJson('nothing')).toThrow(ResponseParseError);
    expect(() => parser.extractJson('{"a": 1}', { schema: z.object({ b: z.string() }) })).toThrow(ResponseSchemaError);
    expect(parser.tryExtractJson('{"a": 1}', { schema: z.object({ b: z.string() }) })).toBeUndefined();
  });

  it('is exported from the package root with its functions and errors', () => {
    expect(packageRoot.ResponseParser).toBe(ResponseParser);
    expect(typeof packageRoot.extractJson).toBe('function');
    expect(typeof packageRoot.extractSections).toBe('function');
    expect(packageRoot.ResponseSchemaError).toBe(ResponseSchemaError);
  });

  it('finishes every method on a megabyte of hostile text and finds nothing in it', () => {
    const hostile = [
      '{['.repeat(300_000),
      '"\\'.repeat(100_000),
      '```'.repeat(10_000),
      '\n'.repeat(1000),
      '<|endoftext|>{{ {% (('.repeat(10_000),
    ].join('');
    expect(hostile.length).toBeGreaterThan(1_000_000);
    expect(parser.tryExtractJson(hostile)).toBeUndefined();
    expect(parser.extractAllJson(hostile)).toEqual([]);
    const blocks = parser.extractCodeBlocks(hostile);
    expect(blocks.every((block) => block.code.length < 1_000_000)).toBe(true);
    expect(parser.extractList(hostile)).toEqual([]);
    expect(parser.extractSections(hostile).every((section) => section.level === 0)).toBe(true);
    expect(parser.extractKeyValues(hostile)).toEqual([]);
  });
});
