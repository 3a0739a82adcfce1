// Conditional templates: `{{name}}` placeholders and `(( ))` optional sections.
export type {
  ConditionalDiagnostic,
  ConditionalNode,
  ConditionalSection,
  ConditionalText,
  ConditionalVariable,
} from './conditional-ast.js';
export { formatConditionalValue, isFilledConditionalValue } from './conditional-value.js';
export type { CompiledConditionalTemplate, ConditionalRenderHooks } from './compiled-conditional-template.js';
export {
  compileConditional,
  renderConditional,
  CONDITIONAL_CACHE_LIMITS,
  type CompileConditionalOptions,
} from './compile-conditional.js';
