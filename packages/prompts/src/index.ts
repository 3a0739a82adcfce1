/**
 * `@kit/prompts`: conditional and Jinja prompt templates, prompt libraries, message building,
 * response parsing and RAG.
 * @packageDocumentation
 * @module @kit/prompts
 */

export * from './errors/prompt-error.js';
export * from './conditional/index.js';
export * from './rag/index.js';
export * from './parsing/index.js';
export * from './store/index.js';

// Templates: records, rendering in every mode, inheritance, parameter checks.
export {
  promptTemplateSchema,
  templateModeSchema,
  validationLevelSchema,
  undefinedBehaviorSchema,
  parameterValidationSchema,
  type PromptTemplate,
  type PromptTemplateInput,
  type ResolvedPromptTemplate,
  type TemplateMode,
  type ValidationLevel,
  type UndefinedBehavior,
  type ParameterValidation,
} from './template/prompt-template.js';
export { renderTemplate, type RenderTemplateOptions } from './template/render-template.js';
export { renderJinja, type JinjaRenderOptions } from './template/jinja-render.js';
export { builtinValues, BUILTIN_VALUE_NAMES } from './template/builtin-values.js';
export { templateVariables } from './template/template-variables.js';
export { checkRequiredParameters, type ParameterCheck } from './template/parameter-validation.js';
export { resolvePromptTemplate, expandSections, type TemplateLookup } from './template/template-inheritance.js';
export { renderPrompt, type RenderPromptOptions, type RenderedPrompt } from './template/render-prompt.js';

// Libraries.
export {
  messageTemplateSchema,
  messageSequenceSchema,
  templateEntrySchema,
  getTemplate,
  type PromptKind,
  type PromptLibrary,
  type MessageTemplate,
  type MessageSequence,
} from './library/prompt-library.js';
export { ConfigPromptLibrary, promptLibraryConfigSchema, type LibraryEntries, type PromptLibraryConfig } from './library/config-prompt-library.js';
export { FileSystemPromptLibrary, type FileSystemPromptLibraryOptions } from './library/file-system-prompt-library.js';
export { CompositePromptLibrary } from './library/composite-prompt-library.js';
export { parseLibraryDocument } from './library/parse-library-document.js';

// Building prompts and messages.
export { PromptBuilder, type PromptBuilderOptions, type BuildOptions, type RenderedMessages } from './builder/prompt-builder.js';
export { MessageBuilder } from './builder/message-builder.js';

// Experiments: sticky assignment and the statistics behind decisions.
export * from './experiments/assignment/index.js';
export * from './experiments/statistics/index.js';
export { ExperimentManager, type VariantChoice, type RecordMetricInput } from './experiments/experiment-manager.js';
export {
  experimentReport,
  BINARY_METRICS,
  DEFAULT_METRIC_DIRECTIONS,
  type ExperimentReport,
  type ExperimentReportOptions,
  type VariantRow,
  type VariantComparison,
  type MetricCell,
} from './experiments/experiment-report.js';
export { EXPERIMENT_KEYS, experimentCallKeys, experimentCallOf, type ExperimentCall } from './experiments/experiment-call-keys.js';
export { VersionedPromptLibrary, type VersionedPromptLibraryOptions, type VersionSource } from './experiments/versioned-prompt-library.js';
