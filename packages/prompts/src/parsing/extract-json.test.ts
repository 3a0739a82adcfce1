import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import { ResponseParseError } from '../errors/prompt-error.js';
import { extractAllJson, extractJson, tryExtractJson } from './extract-json.js';
import { InvalidParserArgumentError } from './invalid-parser-argument-error.js';
import { ResponseSchemaError } from './response-schema-error.js';

const verdictSchema = z.object({ label: z.enum(['spam', 'ham']), score: z.number().min(0).max(1) });

describe('extractJson', () => {
  it('finds JSON after a sentence', () => {
    expect(extractJson('Sure! Here is the classification: {"label": "spam", "score": 0.93}. Let me know.')).toEqual({
      label: 'spam',
      score: 0.93,
    });
  });

  it('finds an array', () => {
    expect(extractJson('The tags are ["a", "b"] as requested.')).toEqual(['a', 'b']);
  });

  it('keeps braces and brackets inside strings', () => {
    const reply = String.raw`Output: {"template": "Hello {{name}}, see [1] or }{", "escaped": "say \"{\" now"} -- end`;
    expect(extractJson(reply)).toEqual({ template: 'Hello {{name}}, see [1] or }{', escaped: 'say "{" now' });
  });

  it('returns the first of two JSON values in the text', () => {
    expect(extractJson('First {"n": 1} then {"n": 2}')).toEqual({ n: 1 });
  });

  it('prefers a json block over JSON earlier in the text and over other blocks', () => {
    const reply = [
      'The format is {"example": true}.',
      '```js',
      '[1, 2, 3]',
      '```',
      '```json',
      '{"real": true}',
      '```',
    ].join('\n');
    expect(extractJson(reply)).toEqual({ real: true });
  });

  it('prefers any fenced block that parses over JSON in the text', () => {
    const reply = 'The format is {"example": true}.\n```\n{"fenced": 1}\n```\n';
    expect(extractJson(reply)).toEqual({ fenced: 1 });
  });

  it('takes a scalar from a json block but not from other blocks', () => {
    expect(extractJson('```json\n"yes"\n```')).toBe('yes');
    expect(tryExtractJson('```\n42\n```')).toBeUndefined();
  });

  it('falls back to a scan when a json block does not parse whole', () => {
    const reply = '```json\n// the result\n{"ok": true}\n```\nThat is all.';
    expect(extractJson(reply)).toEqual({ ok: true });
  });

  it('reads a fenced block followed by prose, with CRLF line endings', () => {
    const reply = 'Result:\r\n```JSON\r\n{\r\n  "a": [1, 2]\r\n}\r\n```\r\nHope this helps {not json}.';
    expect(extractJson(reply)).toEqual({ a: [1, 2] });
  });

  it('reads a truncated reply whose json block never closed but whose JSON is complete', () => {
    expect(extractJson('```json\n{"done": true}\n')).toEqual({ done: true });
  });

  it('throws ResponseParseError with the text when a truncated reply holds no complete JSON', () => {
    const reply = 'Here is the result:\n```json\n{"items": [1, 2, 3], "next": {"cursor": "ab';
    const error = captureError(() => extractJson(reply));
    expect(error).toBeInstanceOf(ResponseParseError);
    expect(error).not.toBeInstanceOf(ResponseSchemaError);
    expect((error as ResponseParseError).code).toBe('response-parse');
    expect((error as ResponseParseError).text).toBe(reply);
    expect(tryExtractJson(reply)).toBeUndefined();
  });

  it('treats special tokens and template syntax as text', () => {
    const reply = '<|endoftext|>{% if x %}{{ y }}((z)) {"token": "<|im_end|>", "tpl": "{{ a }}"}<|endoftext|>';
    expect(extractJson(reply)).toEqual({ token: '<|im_end|>', tpl: '{{ a }}' });
  });

  describe('with a schema', () => {
    it('returns the parsed, validated value, typed by the schema', () => {
      const verdict = extractJson('Verdict: {"label": "ham", "score": 0.1}', { schema: verdictSchema });
      expect(verdict).toEqual({ label: 'ham', score: 0.1 });
      expectTypeOf(verdict).toEqualTypeOf<{ label: 'spam' | 'ham'; score: number }>();
      expectTypeOf(tryExtractJson('', { schema: verdictSchema })).toEqualTypeOf<{ label: 'spam' | 'ham'; score: number } | undefined>();
      expectTypeOf(() => extractJson('')).returns.toEqualTypeOf<unknown>();
    });

    it('returns the output of transforms and defaults', () => {
      const schema = z.object({ n: z.string().transform(Number), tags: z.array(z.string()).default([]) });
      expect(extractJson('{"n": "7"}', { schema })).toEqual({ n: 7, tags: [] });
    });

    it('skips an example that does not match for the answer that does', () => {
      const reply = 'Format: {"label": "<spam|ham>", "score": "<0-1>"}\nAnswer: {"label": "spam", "score": 0.8}';
      expect(extractJson(reply, { schema: verdictSchema })).toEqual({ label: 'spam', score: 0.8 });
    });

    it('throws ResponseSchemaError carrying the text, the value and the issues', () => {
      const reply = 'Verdict: {"label": "maybe", "score": 2}';
      const error = captureError(() => extractJson(reply, { schema: verdictSchema }));
      expect(error).toBeInstanceOf(ResponseSchemaError);
      expect(error).toBeInstanceOf(ResponseParseError);
      const schemaError = error as ResponseSchemaError;
      expect(schemaError.code).toBe('response-parse');
      expect(schemaError.text).toBe(reply);
      expect(schemaError.value).toEqual({ label: 'maybe', score: 2 });
      expect(schemaError.issues.map((issue) => issue.path)).toEqual([['label'], ['score']]);
      expect(schemaError.message).toContain('does not match the schema');
      expect(schemaError.message).toContain('label');
      expect(schemaError.cause).toBeInstanceOf(z.ZodError);
    });

    it('reports the first of several values when none matches', () => {
      const error = captureError(() => extractJson('{"a": 1} and {"b": 2}', { schema: verdictSchema })) as ResponseSchemaError;
      expect(error).toBeInstanceOf(ResponseSchemaError);
      expect(error.value).toEqual({ a: 1 });
      expect(error.message).toContain('none of the 2 JSON values');
    });

    it('throws a plain ResponseParseError when there is no JSON at all', () => {
      const error = captureError(() => extractJson('no json here', { schema: verdictSchema }));
      expect(error).toBeInstanceOf(ResponseParseError);
      expect(error).not.toBeInstanceOf(ResponseSchemaError);
    });

    it('accepts zod mini schemas', () => {
      const schema = zm.object({ id: zm.number() });
      expect(extractJson('{"id": 3}', { schema })).toEqual({ id: 3 });
    });

    it('returns undefined from tryExtractJson when nothing matches', () => {
      expect(tryExtractJson('{"label": "maybe"}', { schema: verdictSchema })).toBeUndefined();
      expect(tryExtractJson('{"label": "spam", "score": 1}', { schema: verdictSchema })).toEqual({ label: 'spam', score: 1 });
    });
  });

  it('rejects bad arguments with InvalidParserArgumentError, even from tryExtractJson', () => {
    expect(() => extractJson(42 as unknown as string)).toThrow(InvalidParserArgumentError);
    expect(() => extractJson('{}', { schema: { parse: () => 1 } } as never)).toThrow(/options\.schema must be a zod schema/);
    expect(() => tryExtractJson('{}', { schem: verdictSchema } as never)).toThrow(InvalidParserArgumentError);
  });
});

describe('extractAllJson', () => {
  it('returns every value in order, fenced and not, each once', () => {
    const reply = [
      'Two candidates: {"id": 1} and',
      '```json',
      '{"id": 2, "nested": {"id": 99}}',
      '```',
      'plus [3] and a broken {"id": 4,}.',
      '```yaml',
      'id: 5',
      '```',
    ].join('\n');
    expect(extractAllJson(reply)).toEqual([{ id: 1 }, { id: 2, nested: { id: 99 } }, [3]]);
  });

  it('returns two fenced blocks and the JSON inside a block that does not parse whole', () => {
    const reply = '```json\n{"a": 1}\n```\ntext\n```json\n{"b": 2}\n```\n```python\nx = {"c": 3}\n```';
    expect(extractAllJson(reply)).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('returns nothing for text without JSON', () => {
    expect(extractAllJson('Just {some} [prose] here.')).toEqual([]);
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
