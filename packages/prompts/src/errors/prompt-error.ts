import { KitError } from '@kit/llm';

/** Where in a source a problem sits: 1-based line and column, and the file when there is one. */
export interface SourceLocation {
  /** The 1-based line. */
  line: number;
  /** The 1-based column. */
  column: number;
  /** The file, relative to the library's root for file-system libraries; undefined for inline text. */
  file?: string | undefined;
}

/** Stable codes of every error `@kit/prompts` throws on purpose. */
export type PromptErrorCode =
  | 'template-syntax'
  | 'template-render'
  | 'template-not-found'
  | 'missing-parameters'
  | 'cyclic-extends'
  | 'library-parse'
  | 'rag-adapter'
  | 'rag-config'
  | 'response-parse'
  | 'invalid-argument';

/** Where a {@link PromptError} happened: the template, the place in its file, and what caused it. */
export interface PromptErrorOptions {
  /** The underlying error, kept as the error's `cause`. */
  cause?: unknown;
  /** The template (library name) the error concerns. */
  templateName?: string | undefined;
  /** Where in the template text or library file the problem sits; appended to the message. */
  location?: SourceLocation | undefined;
}

/**
 * The base of every error `@kit/prompts` throws on purpose. `templateName` and `location`
 * are set whenever the error concerns a known template or a place in a file.
 */
export class PromptError extends KitError {
  /** The kind of problem: a stable code to branch on, unlike the message. */
  declare readonly code: PromptErrorCode;
  /** The template (library name) the error concerns; undefined when the error concerns none. */
  readonly templateName: string | undefined;
  /** Where in the template text or library file the problem sits; undefined when unknown. */
  readonly location: SourceLocation | undefined;

  /** Builds an error with `code`; the template name and location, when given, are appended to `message`. */
  constructor(code: PromptErrorCode, message: string, options: PromptErrorOptions = {}) {
    super(code, withContext(message, options), { cause: options.cause });
    this.templateName = options.templateName;
    this.location = options.location;
  }
}

/** A template that cannot be parsed (an unbalanced section, a nunjucks syntax error). */
export class TemplateSyntaxError extends PromptError {
  /** Builds a `template-syntax` error; `options.location` points at the offending text when known. */
  constructor(message: string, options: PromptErrorOptions = {}) {
    super('template-syntax', message, options);
  }
}

/** A template that parsed but failed while rendering (an undefined variable in strict mode, a bad filter). */
export class TemplateRenderError extends PromptError {
  /** Builds a `template-render` error. */
  constructor(message: string, options: PromptErrorOptions = {}) {
    super('template-render', message, options);
  }
}

/** Lookup of a template name no library holds. */
export class TemplateNotFoundError extends PromptError {
  /**
   * Builds a `template-not-found` error for `templateName`; `options.kind` (default `prompt`) names
   * what was looked up.
   */
  constructor(templateName: string, options: Omit<PromptErrorOptions, 'templateName'> & { kind?: string } = {}) {
    super('template-not-found', `no ${options.kind ?? 'prompt'} template named "${templateName}"`, {
      ...options,
      templateName,
    });
  }
}

/** Required parameters absent at validation level `error`. */
export class MissingParametersError extends PromptError {
  /** The required parameters that had no value (absent, undefined or null), in declaration order. */
  readonly missing: readonly string[];

  /** Builds a `missing-parameters` error naming every parameter in `missing`. */
  constructor(missing: readonly string[], options: PromptErrorOptions = {}) {
    super('missing-parameters', `missing required parameter${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}`, options);
    this.missing = [...missing];
  }
}

/** An `extends` chain that returns to a template already in it. */
export class CyclicExtendsError extends PromptError {
  /** The template names along the `extends` chain, starting template first, ending with the repeated one. */
  readonly chain: readonly string[];

  /** Builds a `cyclic-extends` error from the chain of names (the repeated name last). */
  constructor(chain: readonly string[], options: PromptErrorOptions = {}) {
    super('cyclic-extends', `cyclic extends: ${chain.join(' -> ')}`, options);
    this.chain = [...chain];
  }
}

/** A library file that fails to parse or validate. */
export class LibraryParseError extends PromptError {
  /** Builds a `library-parse` error; `options.location` names the file, line and column when known. */
  constructor(message: string, options: PromptErrorOptions = {}) {
    super('library-parse', message, options);
  }
}

/** A RAG adapter that failed, or a RAG config that names an unknown adapter. */
export class RagError extends PromptError {
  /**
   * The name of the adapter that failed or is unknown; undefined for errors about the run or
   * configs as a whole.
   */
  readonly adapter: string | undefined;

  /**
   * Builds a RAG error: `rag-adapter` for a failed search, `rag-config` for an invalid config or
   * unknown adapter.
   */
  constructor(code: 'rag-adapter' | 'rag-config', message: string, options: PromptErrorOptions & { adapter?: string } = {}) {
    super(code, message, options);
    this.adapter = options.adapter;
  }
}

/** Text that does not hold what a `ResponseParser` method was asked to extract. */
export class ResponseParseError extends PromptError {
  /** The text that was being parsed (the model's response), kept whole for logging or a retry. */
  readonly text: string;

  /** Builds a `response-parse` error about `text`. */
  constructor(message: string, text: string, options: PromptErrorOptions = {}) {
    super('response-parse', message, options);
    this.text = text;
  }
}

function withContext(message: string, options: PromptErrorOptions): string {
  const where: string[] = [];
  if (options.templateName !== undefined) where.push(`template "${options.templateName}"`);
  if (options.location !== undefined) {
    const { file, line, column } = options.location;
    where.push(`${file !== undefined ? `${file}:` : ''}line ${line}, column ${column}`);
  }
  return where.length === 0 ? message : `${message} (${where.join(', ')})`;
}
