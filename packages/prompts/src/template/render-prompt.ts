import { runRagConfigs, type RagResultCache, type RagRun, type ResourceAdapter } from '../rag/index.js';
import { mergeParameters } from './builtin-values.js';
import { checkRequiredParameters } from './parameter-validation.js';
import type { ResolvedPromptTemplate, UndefinedBehavior, ValidationLevel } from './prompt-template.js';
import { renderTemplate } from './render-template.js';
import { templateVariables } from './template-variables.js';

/** Options of {@link renderPrompt}. */
export interface RenderPromptOptions {
  /** This call's validation level; wins over the template's own, for this call only. Default `warn`. */
  level?: ValidationLevel | undefined;
  /** The level when neither the call nor the template sets one. Default `warn`. */
  defaultLevel?: ValidationLevel | undefined;
  /** How an undefined Jinja `{{ name }}` renders; wins over the template's own (default `keep`). */
  undefinedBehavior?: UndefinedBehavior | undefined;
  /** The moment the built-in values (`current_date` and friends) describe. Default: now. */
  now?: Date | (() => Date) | undefined;
  /** Adapters the template's RAG configs name. Without them a template with RAG configs is an error. */
  adapters?: ReadonlyMap<string, ResourceAdapter> | Readonly<Record<string, ResourceAdapter>> | undefined;
  /** Caches the RAG configs' results (configs with `cache: false` bypass it). Default: no caching. */
  ragCache?: RagResultCache | undefined;
  /** Skip the template's RAG configs (their placeholders stay missing). */
  skipRag?: boolean | undefined;
  /** Aborts the RAG searches; the render then rejects with `RagAbortedError`. */
  signal?: AbortSignal | undefined;
}

/** A rendered prompt and what went into it. */
export interface RenderedPrompt {
  /** The template's library name; an inline message-sequence entry is named `<sequence>[<position>]`. */
  name: string;
  /** The rendered text, ready to be a message's content. */
  content: string;
  /** Parameters the template reads that had a value (params, defaults, built-ins or RAG). */
  parametersUsed: string[];
  /** Parameters the template reads, or requires, that had none. */
  parametersMissing: string[];
  /**
   * Problems that did not stop the render: missing required parameters at level `warn`, failed RAG
   * adapters whose configs continue on error.
   */
  warnings: string[];
  /** One entry per RAG config run: query, items, cache use, timing, error. */
  rag: RagRun[];
  /** A copy of the template's merged `metadata` (its `extends` chain included), for the caller's own use. */
  metadata: Record<string, unknown>;
}

/**
 * Renders a resolved template: defaults and built-ins under the params, RAG results placed at
 * their placeholders as values, required parameters checked at the call's level (or the
 * template's, or `warn`).
 */
export async function renderPrompt(
  template: ResolvedPromptTemplate,
  params: Readonly<Record<string, unknown>> = {},
  options: RenderPromptOptions = {},
): Promise<RenderedPrompt> {
  const now = options.now === undefined ? new Date() : typeof options.now === 'function' ? options.now() : options.now;
  const values = mergeParameters(now, template.defaults, params);
  const level = options.level ?? template.validation.level ?? options.defaultLevel ?? 'warn';
  const check = checkRequiredParameters(template.validation.required, values, level, template.name);
  const warnings = [...check.warnings];

  let rag: RagRun[] = [];
  if (template.rag.length > 0 && options.skipRag !== true) {
    const result = await runRagConfigs(template.rag, values, {
      adapters: options.adapters ?? {},
      render: (query, queryParams) => renderTemplate(query, queryParams, { mode: 'conditional', builtins: false, templateName: template.name }),
      cache: options.ragCache,
      signal: options.signal,
      templateName: template.name,
    });
    rag = result.runs;
    for (const run of rag) if (run.error !== undefined) warnings.push(`RAG adapter "${run.error.adapter}" failed and was skipped: ${run.error.message}`);
    // Retrieved text goes in as values, so the engine prints it and never renders it.
    Object.assign(values, result.placements);
  }

  const content = renderTemplate(template.template, values, {
    mode: template.mode,
    undefinedBehavior: options.undefinedBehavior ?? template.undefinedBehavior,
    builtins: false,
    templateName: template.name,
  });
  const read = templateVariables(template.template, template.mode);
  const hasValue = (name: string): boolean => values[name] !== undefined && values[name] !== null;
  const parametersMissing = [...new Set([...read.filter((n) => !hasValue(n)), ...check.missingRequired])];
  return {
    name: template.name,
    content,
    parametersUsed: read.filter(hasValue),
    parametersMissing,
    warnings,
    rag,
    metadata: structuredClone(template.metadata),
  };
}
