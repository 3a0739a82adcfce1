import { KitError } from '@kit/llm';

/** Where in a source a problem sits: 1-based line and column, and the file when there is one. */
export interface SourceLocation {
  line: number;
  column: number;
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
  cause?: unknown;
  /** The template (library name) the error concerns. */
  templateName?: string | undefined;
  location?: SourceLocation | undefined;
}

/**
 * The base of every error `@kit/prompts` throws on purpose. `templateName` and `location`
 * are set whenever the error concerns a known template or a place in a file.
 */
export class PromptError extends KitError {
  declare readonly code: PromptErrorCode;
  readonly templateName: string | undefined;
  readonly location: SourceLocation | undefined;

  constructor(code: PromptErrorCode, message: string, options: PromptErrorOptions = {}) {
    super(code, withContext(message, options), { cause: options.cause });
    this.templateName = options.templateName;
    this.location = options.location;
  }
}

/** A template that cannot be parsed (an unbalanced section, a nunjucks syntax error). */
export class TemplateSyntaxError extends PromptError {
  constructor(message: string, options: PromptErrorOptions = {}) {
    super('template-syntax', message, options);
  }
}

/** A template that parsed but failed while rendering (an undefined variable in strict mode, a bad filter). */
export class TemplateRenderError extends PromptError {
  constructor(message: string, options: PromptErrorOptions = {}) {
    super('template-render', message, options);
  }
}

/** Lookup of a template name no library holds. */
export class TemplateNotFoundError extends PromptError {
  constructor(templateName: string, options: Omit<PromptErrorOptions, 'templateName'> & { kind?: string } = {}) {
    super('template-not-found', `no ${options.kind ?? 'prompt'} template named "${templateName}"`, {
      ...options,
      templateName,
    });
  }
}

/** Required parameters absent at validation level `error`. */
export class MissingParametersError extends PromptError {
  readonly missing: readonly string[];

  constructor(missing: readonly string[], options: PromptErrorOptions = {}) {
    super('missing-parameters', `missing required parameter${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}`, options);
    this.missing = [...missing];
  }
}

/** An `extends` chain that returns to a template already in it. */
export class CyclicExtendsError extends PromptError {
  readonly chain: readonly string[];

  constructor(chain: readonly string[], options: PromptErrorOptions = {}) {
    super('cyclic-extends', `cyclic extends: ${chain.join(' -> ')}`, options);
    this.chain = [...chain];
  }
}

/** A library file that fails to parse or validate. */
export class LibraryParseError extends PromptError {
  constructor(message: string, options: PromptErrorOptions = {}) {
    super('library-parse', message, options);
  }
}

/** A RAG adapter that failed, or a RAG config that names an unknown adapter. */
export class RagError extends PromptError {
  readonly adapter: string | undefined;

  constructor(code: 'rag-adapter' | 'rag-config', message: string, options: PromptErrorOptions & { adapter?: string } = {}) {
    super(code, message, options);
    this.adapter = options.adapter;
  }
}

/** Text that does not hold what a `ResponseParser` method was asked to extract. */
export class ResponseParseError extends PromptError {
  readonly text: string;

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
