import { MissingParametersError } from '../errors/prompt-error.js';
import type { ValidationLevel } from './prompt-template.js';

/**
 * The outcome of {@link checkRequiredParameters}: the required parameters that have no value, and
 * the warnings to report.
 */
export interface ParameterCheck {
  /** Required parameters with no value (absent, undefined or null). */
  missingRequired: string[];
  /** One warning naming every missing required parameter at level `warn`; empty otherwise. */
  warnings: string[];
}

/**
 * Checks required parameters at `level`: `error` throws `MissingParametersError` naming every
 * absent one, `warn` returns a warning, `ignore` returns only the list. The level is an argument,
 * never stored, so a per-call level cannot leak into later calls.
 */
export function checkRequiredParameters(
  required: readonly string[],
  values: Readonly<Record<string, unknown>>,
  level: ValidationLevel,
  templateName?: string,
): ParameterCheck {
  const missingRequired = required.filter((name) => values[name] === undefined || values[name] === null);
  if (missingRequired.length === 0 || level === 'ignore') return { missingRequired, warnings: [] };
  if (level === 'error') throw new MissingParametersError(missingRequired, { templateName });
  return {
    missingRequired,
    warnings: [`missing required parameter${missingRequired.length === 1 ? '' : 's'}: ${missingRequired.join(', ')}`],
  };
}
