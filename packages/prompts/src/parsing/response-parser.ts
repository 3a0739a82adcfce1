import type { z } from 'zod';
import { extractCodeBlocks, type CodeBlock, type ExtractCodeBlocksOptions } from './extract-code-blocks.js';
import { extractAllJson, extractJson, tryExtractJson, type ExtractJsonOptions } from './extract-json.js';
import { extractKeyValues, type KeyValue } from './extract-key-values.js';
import { extractList, extractListStrings, type ListItem } from './extract-list.js';
import { extractSections, findSection, type MarkdownSection } from './extract-sections.js';

/**
 * Pulls structured data out of model replies: JSON, fenced code, lists, markdown sections and
 * `Key: value` lines. Stateless: one instance can serve any number of replies, concurrently.
 * Every method is linear in the length of the reply, so a huge or hostile reply costs time in
 * proportion to its size and no more; reply text is data, so template syntax or special tokens in
 * it (`{{x}}`, `<|endoftext|>`) are plain characters. Each method is also a standalone function
 * (`extractJson`, `extractCodeBlocks`, ...).
 *
 * @example
 * const parser = new ResponseParser();
 * const { answer } = parser.extractJson(reply, { schema: z.object({ answer: z.string() }) });
 * const steps = parser.extractListStrings(parser.section(reply, 'Steps')?.content ?? '');
 */
export class ResponseParser {
  /** See {@link extractJson}. */
  extractJson(text: string): unknown;
  extractJson<Schema extends z.core.$ZodType>(text: string, options: { schema: Schema }): z.output<Schema>;
  extractJson(text: string, options?: ExtractJsonOptions): unknown;
  extractJson(text: string, options?: ExtractJsonOptions): unknown {
    return extractJson(text, options);
  }

  /** See {@link tryExtractJson}. */
  tryExtractJson(text: string): unknown;
  tryExtractJson<Schema extends z.core.$ZodType>(text: string, options: { schema: Schema }): z.output<Schema> | undefined;
  tryExtractJson(text: string, options?: ExtractJsonOptions): unknown;
  tryExtractJson(text: string, options?: ExtractJsonOptions): unknown {
    return tryExtractJson(text, options);
  }

  /** See {@link extractAllJson}. */
  extractAllJson(text: string): unknown[] {
    return extractAllJson(text);
  }

  /** See {@link extractCodeBlocks}. */
  extractCodeBlocks(text: string, options?: ExtractCodeBlocksOptions): CodeBlock[] {
    return extractCodeBlocks(text, options);
  }

  /** See {@link extractList}. */
  extractList(text: string): ListItem[] {
    return extractList(text);
  }

  /** See {@link extractListStrings}. */
  extractListStrings(text: string): string[] {
    return extractListStrings(text);
  }

  /** See {@link extractSections}. */
  extractSections(text: string): MarkdownSection[] {
    return extractSections(text);
  }

  /** The first section headed `heading` (case-insensitive); see {@link findSection}. */
  section(text: string, heading: string): MarkdownSection | undefined {
    return findSection(text, heading);
  }

  /** See {@link extractKeyValues}. */
  extractKeyValues(text: string): KeyValue[] {
    return extractKeyValues(text);
  }
}
