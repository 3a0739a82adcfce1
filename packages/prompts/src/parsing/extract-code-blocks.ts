import { z } from 'zod';
import type { FenceOpening } from './fence-line.js';
import { removeIndent } from './line-indent.js';
import { readMarkdownLines } from './markdown-lines.js';
import { assertText, parseParserOptions } from './parser-arguments.js';
import type { TextSpan } from './json-span-scanner.js';
import { lazySchema } from '../lazy-schema.js';

/** A fenced code block found in a response. */
export interface CodeBlock {
  /** The info string's first word as written (`ts` of ```` ```ts title="x" ````), or `''`. */
  readonly language: string;
  /** The whole info string, trimmed (`ts title="x"`), or `''`. */
  readonly info: string;
  /**
   * The lines between the fences, without the final line break, with line breaks as `\n` and
   * the opening fence's indentation removed from each line.
   */
  readonly code: string;
  /** False when the reply ended inside the block (a truncated stream): `code` is what arrived. */
  readonly closed: boolean;
}

/** A code block and the stretch of the text it takes, fences included. */
export interface LocatedCodeBlock extends CodeBlock {
  readonly span: TextSpan;
}

/** Options of {@link extractCodeBlocks}. */
export interface ExtractCodeBlocksOptions {
  /** Only blocks whose language is this, compared case-insensitively; `''` keeps untagged blocks. */
  language?: string | undefined;
}

const extractCodeBlocksOptionsSchema = lazySchema(() => z.strictObject({ language: z.string().optional() }));

/**
 * The fenced code blocks of `text`, in order: ```` ``` ```` or `~~~` fences of three or more
 * characters, with or without a language tag, closed by a fence of the same character at least
 * as long (so a ```` ```` ```` block can hold ```` ``` ```` lines). A block the text ends inside is
 * returned with what it holds and `closed: false`. Linear in the length of `text`.
 *
 * @example
 * extractCodeBlocks('Run:\n```sh\nnpm test\n```\nThen check.', { language: 'sh' });
 * // [{ language: 'sh', info: 'sh', code: 'npm test', closed: true }]
 */
export function extractCodeBlocks(text: string, options: ExtractCodeBlocksOptions = {}): CodeBlock[] {
  assertText('text', text);
  const { language } = parseParserOptions('options', extractCodeBlocksOptionsSchema(), options);
  const wanted = language?.toLowerCase();
  return locateCodeBlocks(text)
    .filter((block) => wanted === undefined || block.language.toLowerCase() === wanted)
    .map(({ language: blockLanguage, info, code, closed }) => ({ language: blockLanguage, info, code, closed }));
}

/** The fenced code blocks of `text` with where each sits; for other parsers of this area. */
export function locateCodeBlocks(text: string): LocatedCodeBlock[] {
  const blocks: LocatedCodeBlock[] = [];
  let current: { readonly fence: FenceOpening; readonly start: number; end: number; readonly lines: string[] } | undefined;
  const finish = (closed: boolean): void => {
    if (current === undefined) return;
    const { fence, start, end, lines } = current;
    blocks.push({ language: fence.language, info: fence.info, code: lines.join('\n'), closed, span: { start, end } });
    current = undefined;
  };
  for (const line of readMarkdownLines(text)) {
    switch (line.kind) {
      case 'fence-open':
        current = { fence: line.fence, start: line.start, end: line.end, lines: [] };
        break;
      case 'fence-content':
        if (current !== undefined) {
          current.lines.push(removeIndent(line.text, current.fence.indent));
          current.end = line.end;
        }
        break;
      case 'fence-close':
        if (current !== undefined) current.end = line.end;
        finish(true);
        break;
      case 'text':
        break;
    }
  }
  finish(false);
  return blocks;
}
