import type { SourceLocation } from '../errors/prompt-error.js';

/**
 * Raw template text, exactly as written (single parentheses, `{{user.name}}`, `{% %}`, an
 * unclosed `((` and a stray `))` all stay here unchanged). Adjacent text is always one node.
 */
export interface ConditionalText {
  /** Tells the node kinds apart: `text` for literal template text. */
  readonly type: 'text';
  /** The literal text, exactly as in the source. */
  readonly text: string;
  /** 1-based line and column of the text's first character. */
  readonly location: SourceLocation;
}

/**
 * A `{{name}}` placeholder. `padBefore`/`padAfter` are the whitespace inside the braces
 * (`{{ name }}` has one space each); `raw` is the exact source, braces included.
 */
export interface ConditionalVariable {
  /** Tells the node kinds apart: `variable` for a `{{name}}` placeholder. */
  readonly type: 'variable';
  /** The parameter name: letters and digits of any script and `_`, without the padding. */
  readonly name: string;
  /** The placeholder exactly as written, braces and padding included (`{{ name }}`). */
  readonly raw: string;
  /** The whitespace between `{{` and the name; '' when none. */
  readonly padBefore: string;
  /** The whitespace between the name and `}}`; '' when none. */
  readonly padAfter: string;
  /** Where the opening `{{` is. */
  readonly location: SourceLocation;
}

/** A `(( ... ))` optional section; `children` is what sits between the parentheses. */
export interface ConditionalSection {
  /** Tells the node kinds apart: `section` for a `(( ... ))` optional section. */
  readonly type: 'section';
  /** The nodes between `((` and `))`, in source order; nested sections included as section nodes. */
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
  /** What the parser worked around, e.g. `'((' has no matching '))'`. */
  readonly message: string;
  /** The 1-based line and column of the offending `((` or `))`. */
  readonly location: SourceLocation;
}
