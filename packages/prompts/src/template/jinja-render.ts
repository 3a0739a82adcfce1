import type nunjucks from 'nunjucks';
import { lazyDependency, require } from '../lazy-dependency.js';
import { TemplateRenderError, TemplateSyntaxError, type SourceLocation } from '../errors/prompt-error.js';
import type { UndefinedBehavior } from './prompt-template.js';
import { guardPlainOutputs, OUTPUT_FILTER } from './nunjucks-output-guard.js';
import { BoundedLruCache } from '../conditional/bounded-lru-cache.js';

/** Options of {@link renderJinja}. */
export interface JinjaRenderOptions {
  /** What a plain `{{ name }}` with no value renders as: `keep` (default) leaves `{{name}}`, `throw` fails. */
  undefinedBehavior?: UndefinedBehavior | undefined;
  /** Names the template in errors. */
  templateName?: string | undefined;
}

/** Thrown inside the output filter; caught and relabelled with the template's position. */
class UndefinedOutput extends Error {
  constructor(
    readonly path: string,
    readonly location: SourceLocation,
  ) {
    super(`"${path}" is undefined`);
  }
}

let lastUndefinedOutput: UndefinedOutput | undefined;

function takeUndefinedOutput(): UndefinedOutput | undefined {
  const taken = lastUndefinedOutput;
  lastUndefinedOutput = undefined;
  return taken;
}

const loadNunjucks = lazyDependency<typeof nunjucks>(() => require('nunjucks'));

function createEnvironment(undefinedBehavior: UndefinedBehavior): nunjucks.Environment {
  // autoescape off: prompts are not HTML, and escaping would change what the model reads.
  const env = new (loadNunjucks().Environment)(null, { autoescape: false, throwOnUndefined: false });
  env.addFilter(OUTPUT_FILTER, function (this: { ctx?: Record<string, unknown> }, value: unknown, path: string, line: number, column: number) {
    const root = path.split('.', 1)[0]!;
    // A name that is not a parameter but resolves through Object.prototype (`constructor`,
    // `toString`) is as undefined as any other missing name.
    const inherited = typeof value === 'function' && !(this.ctx !== undefined && Object.hasOwn(this.ctx, root));
    if (value !== undefined && !inherited) return value;
    if (undefinedBehavior === 'throw') {
      // nunjucks re-creates errors thrown in filters without their cause or position, so the
      // details travel beside it; rendering is synchronous, so nothing can interleave.
      lastUndefinedOutput = new UndefinedOutput(path, { line, column });
      throw lastUndefinedOutput;
    }
    return `{{${path}}}`;
  });
  return env;
}

// Made on first use, with nunjucks.
let environments: Record<UndefinedBehavior, nunjucks.Environment> | undefined;

function environmentFor(behavior: UndefinedBehavior): nunjucks.Environment {
  environments ??= { keep: createEnvironment('keep'), throw: createEnvironment('throw') };
  return environments[behavior];
}

const compiled = new BoundedLruCache<string, nunjucks.Template>({ maxEntries: 500, maxTotalSize: 4_000_000 });

/**
 * A compiled Jinja template, as {@link compileJinja} returns it. Kit's own type rather than
 * nunjucks', so that declaration files never name `nunjucks` (whose types are not a dependency).
 */
export interface CompiledJinjaTemplate {
  /** The template's text with `context` filled in. */
  render(context: Record<string, unknown>): string;
}

/**
 * Compiles (once per text and undefined behaviour) a nunjucks template. Syntax errors become
 * `TemplateSyntaxError` with the line and column nunjucks reports.
 */
export function compileJinja(source: string, options: JinjaRenderOptions = {}): CompiledJinjaTemplate {
  const behavior = options.undefinedBehavior ?? 'keep';
  const key = `${behavior}\u0000${source}`;
  const hit = compiled.get(key);
  if (hit !== undefined) return hit;
  let template: nunjucks.Template;
  try {
    template = new (loadNunjucks().Template)(guardPlainOutputs(source), environmentFor(behavior), undefined, true);
  } catch (error) {
    throw new TemplateSyntaxError(nunjucksMessage(error), {
      cause: error,
      templateName: options.templateName,
      location: nunjucksLocation(error),
    });
  }
  compiled.set(key, template, source.length);
  return template;
}

/**
 * Renders a template with nunjucks (Jinja2 syntax), autoescape off. Parameters are data: their
 * values are printed, never compiled. Templates are trusted code: nunjucks does not sandbox them.
 */
export function renderJinja(source: string, params: Readonly<Record<string, unknown>>, options: JinjaRenderOptions = {}): string {
  const template = compileJinja(source, options);
  lastUndefinedOutput = undefined;
  try {
    return template.render({ ...params });
  } catch (error) {
    const undefinedOutput = takeUndefinedOutput();
    if (undefinedOutput !== undefined) {
      throw new TemplateRenderError(undefinedOutput.message, { cause: error, templateName: options.templateName, location: undefinedOutput.location });
    }
    throw new TemplateRenderError(nunjucksMessage(error), {
      cause: error,
      templateName: options.templateName,
      location: nunjucksLocation(error),
    });
  }
}

const LOCATION = /\[Line (\d+)(?:, Column (\d+))?\]/;

function nunjucksLocation(error: unknown): SourceLocation | undefined {
  const match = error instanceof Error ? LOCATION.exec(error.message) : null;
  if (match === null) return undefined;
  return { line: Number(match[1]), column: match[2] === undefined ? 1 : Number(match[2]) };
}

/** nunjucks prefixes `(unknown path) [Line x, Column y]` and nested `Error:` labels; keep the reason. */
function nunjucksMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').map((line) => line.trim());
  const reason = lines[lines.length - 1] ?? message;
  return reason.replace(/^(?:(?:Template render error|Error|UndefinedOutput):\s*(?:\(unknown path\)\s*)?)+/, '');
}
