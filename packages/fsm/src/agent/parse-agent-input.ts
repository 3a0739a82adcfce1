import { formatIssues } from '@kit/llm';
import type { z } from 'zod';
import { AgentError, type AgentErrorReason } from './agent-error.js';

/**
 * Parses `value` with `schema`, or throws an `AgentError` (default reason `invalid-input`) whose
 * message names `what` and every issue, so a bad call at a public boundary reads plainly.
 */
export function parseAgentInput<T>(schema: z.ZodType<T>, value: unknown, what: string, reason: AgentErrorReason = 'invalid-input'): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new AgentError(reason, `Invalid ${what}: ${formatIssues(result.error.issues)}`, { cause: result.error });
  return result.data;
}
