import { z } from 'zod';
import { PromptError, TemplateSyntaxError } from '../errors/prompt-error.js';
import { BoundedLruCache } from './bounded-lru-cache.js';
import { CompiledConditional, type CompiledConditionalTemplate } from './compiled-conditional-template.js';
import { parseConditional } from './parse-conditional.js';
import { lazySchema } from '../lazy-schema.js';

/** Options of {@link compileConditional}. */
export interface CompileConditionalOptions {
  /** Read and fill the shared cache of compiled templates (default true). `false` parses from scratch and keeps nothing. */
  cache?: boolean | undefined;
  /** Throw a `TemplateSyntaxError` at the first unclosed `((` or stray `))` instead of keeping it as text (default false). */
  strict?: boolean | undefined;
}

const optionsSchema = lazySchema(() =>
  z.strictObject({
    cache: z.boolean().optional(),
    strict: z.boolean().optional(),
  }),
);

/**
 * Compiled templates by source text. Bounded by count and by total source length (UTF-16
 * units): a compiled template holds its source plus an AST of similar size, so this keeps
 * roughly 2-4 MB at most, and a template over the total (1M characters) is never kept.
 */
export const CONDITIONAL_CACHE_LIMITS = { maxEntries: 256, maxTotalSize: 1_000_000 } as const;

const cache = new BoundedLruCache<string, CompiledConditionalTemplate>(CONDITIONAL_CACHE_LIMITS);

/**
 * Parses a conditional template once (a single linear pass) and returns its compiled form. The
 * result is cached by template text (see {@link CONDITIONAL_CACHE_LIMITS}); the same text then
 * returns the same object. Parsing is lenient: an unclosed `((` or a stray `))` stays as text and
 * is listed in `diagnostics`; with `strict: true` the first of them throws a
 * `TemplateSyntaxError` carrying its line and column.
 *
 * The syntax (DataKnobs' conditional templates, except that values are never re-scanned):
 * - `{{name}}`: replaced by the value; `{{ name }}` keeps its padding around the value.
 *   Outside sections, a missing value leaves the placeholder with its padding moved outside
 *   (`{{ x }}` gives ` {{x}} `); `null` prints nothing for `{{x}}` and counts as missing for `{{ x }}`.
 * - `(( ... ))`: an optional section, dropped whole unless one of its variables (nested sections
 *   included) is filled (see `isFilledConditionalValue`); when kept, its parentheses go, nested
 *   sections are decided the same way, and missing or `null` variables inside print nothing,
 *   padding included. A section with no variables is always kept.
 *
 * @example
 * compileConditional('Hello {{name}}((, you are {{age}} years old))').render({ name: 'Bob' }); // 'Hello Bob'
 */
export function compileConditional(template: string, options?: CompileConditionalOptions): CompiledConditionalTemplate {
  if (typeof template !== 'string') {
    throw new PromptError('invalid-argument', `a conditional template must be a string, got ${template === null ? 'null' : typeof template}`);
  }
  let useCache = true;
  let strict = false;
  if (options !== undefined) {
    const parsed = optionsSchema().safeParse(options);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`).join('; ');
      throw new PromptError('invalid-argument', `invalid compileConditional options: ${issues}`);
    }
    useCache = parsed.data.cache ?? true;
    strict = parsed.data.strict ?? false;
  }

  let compiled = useCache ? cache.get(template) : undefined;
  if (compiled === undefined) {
    compiled = new CompiledConditional(template, parseConditional(template));
    if (useCache) cache.set(template, compiled, template.length);
  }
  const problem = strict ? compiled.diagnostics[0] : undefined;
  if (problem !== undefined) throw new TemplateSyntaxError(problem.message, { location: problem.location });
  return compiled;
}

/**
 * Renders a conditional template with `params`: {@link compileConditional} (cached) then
 * `render`. Throws a `PromptError` (`invalid-argument`) when `params` is not an object.
 *
 * @example
 * renderConditional('User: {{user}}(( ({{role}} - {{department}})))', { user: 'Jane', role: 'Manager' });
 * // 'User: Jane (Manager - )'
 */
export function renderConditional(template: string, params: Readonly<Record<string, unknown>>): string {
  return compileConditional(template).render(params);
}
