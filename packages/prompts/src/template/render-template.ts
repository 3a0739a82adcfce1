import { z } from 'zod';
import { compileConditional } from '../conditional/index.js';
import { PromptError } from '../errors/prompt-error.js';
import { mergeParameters } from './builtin-values.js';
import { renderJinja } from './jinja-render.js';
import { renderMixed } from './mixed-render.js';
import type { TemplateMode, UndefinedBehavior } from './prompt-template.js';
import { lazySchema } from '../lazy-schema.js';

/** Options of {@link renderTemplate}. */
export interface RenderTemplateOptions {
  /** `mixed` (default): conditional pass, then nunjucks. `conditional`: `{{var}}` and `(( ))` only. `jinja2`: nunjucks only. */
  mode?: TemplateMode | undefined;
  /** Jinja and mixed modes: a plain `{{ name }}` with no value is kept as `{{name}}` (default) or throws. */
  undefinedBehavior?: UndefinedBehavior | undefined;
  /** Add `current_date`, `current_datetime`, `current_year` (default true); params override them. */
  builtins?: boolean | undefined;
  /** The moment the built-ins describe; defaults to now. */
  now?: Date | (() => Date) | undefined;
  /** Defaults under the params. */
  defaults?: Readonly<Record<string, unknown>> | undefined;
  /** Names the template in errors. */
  templateName?: string | undefined;
}

const paramsSchema = lazySchema(() => z.record(z.string(), z.unknown()));

/**
 * Renders a template with params. Parameter values are data in every mode: a value holding
 * `{{ }}`, `(( ))` or `{% %}` is printed as it is and never rendered. Templates themselves are
 * trusted code (nunjucks does not sandbox them); never build a template from user text.
 *
 * @example
 * renderTemplate('Hello {{name}}((, you are {{age}}))!', { name: 'Ada' }); // 'Hello Ada!'
 * renderTemplate('{% for t in tags %}#{{ t }} {% endfor %}', { tags: ['a', 'b'] }, { mode: 'jinja2' }); // '#a #b '
 */
export function renderTemplate(
  template: string,
  params: Readonly<Record<string, unknown>> = {},
  options: RenderTemplateOptions = {},
): string {
  if (typeof template !== 'string') {
    throw new PromptError('invalid-argument', `a template must be a string, got ${typeof template}`, { templateName: options.templateName });
  }
  if (!paramsSchema().safeParse(params).success || Array.isArray(params)) {
    throw new PromptError('invalid-argument', 'params must be a plain object of name to value', { templateName: options.templateName });
  }
  const values = mergeParameters(options.builtins === false ? undefined : resolveNow(options.now), options.defaults, params);
  const jinjaOptions = { undefinedBehavior: options.undefinedBehavior, templateName: options.templateName };
  switch (options.mode ?? 'mixed') {
    case 'conditional':
      return compileConditional(template).render(values);
    case 'jinja2':
      return renderJinja(template, values, jinjaOptions);
    case 'mixed':
      return renderMixed(template, values, jinjaOptions);
  }
}

function resolveNow(now: RenderTemplateOptions['now']): Date {
  if (now === undefined) return new Date();
  return typeof now === 'function' ? now() : now;
}
