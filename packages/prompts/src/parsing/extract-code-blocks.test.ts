import { describe, expect, it } from 'vitest';
import { extractCodeBlocks, locateCodeBlocks } from './extract-code-blocks.js';
import { InvalidParserArgumentError } from './invalid-parser-argument-error.js';

describe('extractCodeBlocks', () => {
  it('reads tagged and untagged blocks with the prose around them', () => {
    const reply = [
      'Install it:',
      '```bash',
      'npm install kit',
      '```',
      'Then write:',
      '```',
      'plain block',
      '```',
      'That is all, good luck!',
    ].join('\n');
    expect(extractCodeBlocks(reply)).toEqual([
      { language: 'bash', info: 'bash', code: 'npm install kit', closed: true },
      { language: '', info: '', code: 'plain block', closed: true },
    ]);
  });

  it('takes the language from an info string and keeps the rest in info', () => {
    const [block] = extractCodeBlocks('```ts title="x.ts" {1,3}\nconst x = 1;\n```');
    expect(block).toEqual({ language: 'ts', info: 'ts title="x.ts" {1,3}', code: 'const x = 1;', closed: true });
  });

  it('reads tilde fences, and backtick lines inside them as content', () => {
    const reply = '~~~markdown\nUse:\n```\ncode\n```\n~~~\n';
    expect(extractCodeBlocks(reply)).toEqual([{ language: 'markdown', info: 'markdown', code: 'Use:\n```\ncode\n```', closed: true }]);
  });

  it('closes a block only with a fence at least as long as its opening', () => {
    const reply = '````md\n```js\nx()\n```\n````';
    expect(extractCodeBlocks(reply)).toEqual([{ language: 'md', info: 'md', code: '```js\nx()\n```', closed: true }]);
  });

  it('keeps blank lines and indentation inside a block', () => {
    const reply = '```python\ndef f():\n\n    return 1\n```';
    expect(extractCodeBlocks(reply)[0]?.code).toBe('def f():\n\n    return 1');
  });

  it('removes the opening fence indentation from a block inside a list item', () => {
    const reply = '1. Run:\n   ```sh\n   make\n     --jobs 2\n   ```\n2. Done';
    expect(extractCodeBlocks(reply)).toEqual([{ language: 'sh', info: 'sh', code: 'make\n  --jobs 2', closed: true }]);
  });

  it('returns a block the reply ends inside with closed: false', () => {
    expect(extractCodeBlocks('Here:\n```python\nprint("hi")\nfor x in')).toEqual([
      { language: 'python', info: 'python', code: 'print("hi")\nfor x in', closed: false },
    ]);
    expect(extractCodeBlocks('Here:\n```json')).toEqual([{ language: 'json', info: 'json', code: '', closed: false }]);
  });

  it('normalises CRLF line endings', () => {
    const reply = 'A:\r\n```js\r\nlet a = 1;\r\nlet b = 2;\r\n```\r\nB';
    expect(extractCodeBlocks(reply)).toEqual([{ language: 'js', info: 'js', code: 'let a = 1;\nlet b = 2;', closed: true }]);
  });

  it('does not take inline triple backticks or two-character runs for fences', () => {
    expect(extractCodeBlocks('Use ```inline``` code.\n``not a fence``\n')).toEqual([]);
    expect(extractCodeBlocks('```js `x`\ncode')).toEqual([]);
  });

  it('filters by language, case-insensitively, and by no language with an empty string', () => {
    const reply = '```JSON\n{}\n```\n```ts\nlet x;\n```\n```\nplain\n```';
    expect(extractCodeBlocks(reply, { language: 'json' }).map((block) => block.code)).toEqual(['{}']);
    expect(extractCodeBlocks(reply, { language: '' }).map((block) => block.code)).toEqual(['plain']);
    expect(extractCodeBlocks(reply, { language: 'rust' })).toEqual([]);
  });

  it('keeps template syntax and special tokens as code', () => {
    const code = '{{ name }} {% if x %}((y)) <|endoftext|>';
    expect(extractCodeBlocks(`\`\`\`jinja\n${code}\n\`\`\``)[0]?.code).toBe(code);
  });

  it('rejects bad options with InvalidParserArgumentError', () => {
    expect(() => extractCodeBlocks('x', { lang: 'ts' } as never)).toThrow(InvalidParserArgumentError);
    expect(() => extractCodeBlocks('x', { language: 3 } as never)).toThrow(/options\.language/);
    expect(() => extractCodeBlocks(undefined as never)).toThrow(/text must be a string/);
  });

  it('locates each block, fences included', () => {
    const reply = 'ab\n```x\ny\n```\ncd';
    const [block] = locateCodeBlocks(reply);
    expect(block === undefined ? undefined : reply.slice(block.span.start, block.span.end)).toBe('```x\ny\n```');
  });

  it('stays linear on a megabyte of fences and backticks', () => {
    expect(extractCodeBlocks('`'.repeat(1_000_000))).toEqual([{ language: '', info: '', code: '', closed: false }]);
    expect(extractCodeBlocks('x``'.repeat(350_000))).toEqual([]);
    expect(extractCodeBlocks('```\n'.repeat(250_000))).toHaveLength(125_000);
    const unclosed = extractCodeBlocks(`\`\`\`\`\n${'```\n'.repeat(250_000)}`);
    expect(unclosed).toHaveLength(1);
    expect(unclosed[0]?.closed).toBe(false);
  });
});
