import type { SourceLocation } from '../errors/prompt-error.js';

/**
 * Raw template text, exactly as written (single parentheses, `{{user.name}}`, `{% %}`, an
 * unclosed `((` and a stray `))` all stay here unchanged). Adjacent text is always one node.
 */
export interface ConditionalText {
  readonly type: 'text';
  readonly text: string;
  /** 1-based line and column of the text's first character. */
  readonly location: SourceLocation;
}

/**
 * A `{{name}}` placeholder. `padBefore`/`padAfter` are the whitespace inside the braces
 * (`{{ name }}` has one space each); `raw` is the exact source, braces included.
 */
export interface ConditionalVariable {
  readonly type: 'variable';
  readonly name: string;
  readonly raw: string;
  readonly padBefore: string;
  readonly padAfter: string;
  /** Where the opening `{{` is. */
  readonly location: SourceLocation;
}

/** A `(( ... ))` optional section; `children` is what sits between the parentheses. */
export interface ConditionalSection {
  readonly type: 'section';
  readonly children: readonly ConditionalNode[];
  /** Every placeholder name inside, nested sections included, in first-appearance order, each once. */
  readonly variables: readonly string[];
  /** Where the opening `((` is. */
  readonly location: SourceLocation;
}

/** One node of a parsed conditional template. The nodes of a template cover its source exactly, in order. */
export type ConditionalNode = ConditionalText | ConditionalVariable | ConditionalSection;

/** A problem the lenient parser worked around (an unclosed `((`, a stray `))`): it kept the text literally. */
export interface ConditionalDiagnostic {
  readonly message: string;
  readonly location: SourceLocation;
}
