import { z } from 'zod';
import { ragConfigSchema } from '../rag/index.js';

/** How a template's text is rendered. `mixed` (the default) runs the conditional pass, then nunjucks. */
export const templateModeSchema = z.enum(['conditional', 'jinja2', 'mixed']);
/** How a template's text is rendered (see `templateModeSchema`). */
export type TemplateMode = z.infer<typeof templateModeSchema>;

/**
 * What happens to required parameters that are absent: `error` throws `MissingParametersError`,
 * `warn` renders and reports a warning, `ignore` renders silently.
 */
export const validationLevelSchema = z.enum(['error', 'warn', 'ignore']);
/** What happens to absent required parameters (see `validationLevelSchema`). */
export type ValidationLevel = z.infer<typeof validationLevelSchema>;

/** What a Jinja `{{ name }}` whose value is undefined renders as: kept as `{{name}}`, or an error. */
export const undefinedBehaviorSchema = z.enum(['keep', 'throw']);
/** What an undefined Jinja `{{ name }}` renders as (see `undefinedBehaviorSchema`). */
export type UndefinedBehavior = z.infer<typeof undefinedBehaviorSchema>;

const parameterName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a parameter name is letters, digits and _');

/**
 * A template's parameters: those it requires, those it can do without, and the validation level for
 * absent required ones.
 */
export const parameterValidationSchema = z.strictObject({
  /** Parameters that must be present (after defaults and built-ins are applied). */
  required: z.array(parameterName).default([]),
  /** Parameters the template knows but can do without; listed for documentation and tooling. */
  optional: z.array(parameterName).default([]),
  /** What absent required parameters do; unset, the caller's level applies (default `warn`). */
  level: validationLevelSchema.optional(),
});
/** A template's parameters and their validation level (see `parameterValidationSchema`). */
export type ParameterValidation = z.infer<typeof parameterValidationSchema>;

const sectionName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'a section name is letters, digits, _ and -');

/**
 * One prompt template as a library holds it. `sections` are named pieces of template text that
 * the template (or another section) includes with `{{> name}}`; a template that `extends`
 * another inherits its text, sections, defaults, validation, metadata and RAG configs, and
 * overrides any of them.
 */
export const promptTemplateSchema = z.strictObject({
  /** The template text; may be left out when an `extends` parent supplies it. */
  template: z.string().optional(),
  /** How the text is rendered; `mixed` when no template in the `extends` chain sets it. */
  mode: templateModeSchema.optional(),
  /** Parameter values used when the call gives none; merged key by key over the parent's. */
  defaults: z.record(z.string(), z.unknown()).optional(),
  /** Required and optional parameters (united with the parent's) and the validation level. */
  validation: parameterValidationSchema.optional(),
  /** Free-form data for the caller, merged over the parent's and returned with each render; never rendered. */
  metadata: z.record(z.string(), z.unknown()).optional(),
  /** Named template text pieces, included with `{{> name}}`; a child's section replaces a parent's. */
  sections: z.record(sectionName, z.string()).optional(),
  /** The name of a template of the same kind to inherit from; cycles throw `CyclicExtendsError`. */
  extends: z.string().min(1).optional(),
  /** Retrieval steps run before rendering; a child's list replaces the parent's whole. */
  rag: z.array(ragConfigSchema).optional(),
  /** What an undefined Jinja `{{ name }}` renders as; `keep` when no template in the chain sets it. */
  undefinedBehavior: undefinedBehaviorSchema.optional(),
});

/** A template record as written in a library (YAML, JSON or an object). */
export type PromptTemplateInput = z.input<typeof promptTemplateSchema>;
/** A validated template record. */
export type PromptTemplate = z.output<typeof promptTemplateSchema>;

/**
 * A template after its `extends` chain and sections are resolved: the text is final and every
 * inherited field is merged in.
 */
export interface ResolvedPromptTemplate {
  /** The name the template was resolved under (its library name). */
  name: string;
  /** The final text, sections expanded (the nearest text in the `extends` chain). */
  template: string;
  /** How the text is rendered; `mixed` when no template in the chain sets it. */
  mode: TemplateMode;
  /** Parameter defaults merged along the chain, the child's winning; `{}` when none. */
  defaults: Record<string, unknown>;
  /** Parameter lists united along the chain; `level` is the nearest one set, or undefined. */
  validation: { required: string[]; optional: string[]; level: ValidationLevel | undefined };
  /** Metadata merged along the chain, the child's keys winning; `{}` when none. */
  metadata: Record<string, unknown>;
  /** The nearest RAG configs in the chain, defaults applied; `[]` when none. */
  rag: NonNullable<PromptTemplate['rag']>;
  /** What an undefined Jinja `{{ name }}` renders as; `keep` when no template in the chain sets it. */
  undefinedBehavior: UndefinedBehavior;
  /** The chain of names this template was built from, itself first. */
  lineage: string[];
}
