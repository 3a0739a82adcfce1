import type { LanguageModel } from '@kit/llm';
import { z } from 'zod';
import { AgentError } from './agent-error.js';
import { llmJudge } from './llm-judge.js';
import { parseAgentInput } from './parse-agent-input.js';
import { RefinementFailedError } from './refinement-failed-error.js';
import { lazySchema } from '../lazy-schema.js';

/** A validator's answer: pass, or advice for the next attempt. */
export type RefinementVerdict =
  | {
      /** The output meets the objective. */
      pass: true;
    }
  | {
      /** The output falls short. */
      pass: false;
      /** What the next attempt should change; non-empty. */
      advice: string;
    };

/** One attempt and how it was judged. */
export interface RefinementAttempt<T> {
  /** 1-based. */
  attempt: number;
  /** What `execute` returned. */
  output: T;
  /** The validator's verdict on `output`. */
  verdict: RefinementVerdict;
}

/** What `execute` is told about the attempt it makes. */
export interface RefinementExecuteContext<T> {
  /** The objective of `runWithRefinement`'s options. */
  objective: string;
  /** 1-based. */
  attempt: number;
  /** The last verdict's advice; undefined on the first attempt. */
  advice: string | undefined;
  /** The previous attempt; undefined on the first. */
  previous: RefinementAttempt<T> | undefined;
}

/** Judges an output against the objective. */
export type RefinementValidator<T> = (output: T, context: { objective: string; attempt: number }) => RefinementVerdict | Promise<RefinementVerdict>;

/** Options of `runWithRefinement`. */
export interface RunWithRefinementOptions<T> {
  /** What a good output achieves; given to `execute` and the validator. */
  objective: string;
  /** Makes one attempt; fold `advice` into it. */
  execute(context: RefinementExecuteContext<T>): T | Promise<T>;
  /** Attempts after the first. Default 2 (so three attempts at most). */
  maxRetries?: number | undefined;
  /** Throw `RefinementFailedError` when no attempt passes (default false: return the last). */
  throwOnFailure?: boolean | undefined;
  /** A function validator; without it, `judge` judges. */
  validate?: RefinementValidator<T> | undefined;
  /** The model of the default LLM judge, used when `validate` is left out. */
  judge?: LanguageModel | undefined;
  /**
   * Checked before each attempt (an abort throws its reason) and passed to the default LLM judge;
   * `execute` and `validate` are not given it.
   */
  signal?: AbortSignal | undefined;
}

/** How refinement ended: the passing output (or the last one), and every attempt. */
export interface RefinementResult<T> {
  /** The passing output, or the last attempt's when none passed. */
  output: T;
  /** Whether an attempt passed. */
  passed: boolean;
  /** Every attempt with its verdict, oldest first. */
  attempts: RefinementAttempt<T>[];
}

const isFunction = (value: unknown) => typeof value === 'function';

const optionsSchema = lazySchema(() =>
  z.object({
    objective: z.string().min(1, 'an objective is required'),
    execute: z.custom(isFunction, { message: 'execute must be a function' }),
    maxRetries: z.number().int().nonnegative().max(100).optional(),
    throwOnFailure: z.boolean().optional(),
    validate: z.custom(isFunction, { message: 'validate must be a function' }).optional(),
    judge: z.custom((m) => typeof m === 'object' && m !== null && isFunction((m as LanguageModel).complete), { message: 'judge must be a LanguageModel' }).optional(),
    signal: z.instanceof(AbortSignal).optional(),
  }),
);

const verdictSchema = lazySchema(() =>
  z.union([
    z.object({ pass: z.literal(true) }),
    z.object({ pass: z.literal(false), advice: z.string().min(1, 'a failing verdict needs advice') }),
  ]),
);

/**
 * Runs `execute` until the validator passes its output, at most `1 + maxRetries` times. Each
 * failing verdict's advice is handed to the next attempt. The validator is `validate` when given,
 * else an LLM judge on `judge`.
 *
 * @example
 * const result = await runWithRefinement({
 *   objective: 'a haiku about rain',
 *   execute: ({ advice }) => writeHaiku(advice),
 *   validate: (text) => (text.split('\n').length === 3 ? { pass: true } : { pass: false, advice: 'Use three lines.' }),
 * });
 */
export async function runWithRefinement<T>(options: RunWithRefinementOptions<T>): Promise<RefinementResult<T>> {
  parseAgentInput(optionsSchema(), options, 'refinement options');
  const validate: RefinementValidator<T> | undefined =
    options.validate ?? (options.judge === undefined ? undefined : llmJudge(options.judge, { signal: options.signal }));
  if (validate === undefined) throw new AgentError('invalid-input', 'Invalid refinement options: give `validate` or a `judge` model');

  const maxAttempts = 1 + (options.maxRetries ?? 2);
  const attempts: RefinementAttempt<T>[] = [];
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    options.signal?.throwIfAborted();
    const previous = attempts.at(-1);
    const output = await options.execute({
      objective: options.objective,
      attempt,
      advice: previous !== undefined && !previous.verdict.pass ? previous.verdict.advice : undefined,
      previous,
    });
    const verdict = parseAgentInput(verdictSchema(), await validate(output, { objective: options.objective, attempt }), 'refinement verdict');
    attempts.push({ attempt, output, verdict });
    if (verdict.pass) return { output, passed: true, attempts };
  }
  if (options.throwOnFailure) throw new RefinementFailedError(options.objective, attempts);
  return { output: attempts.at(-1)!.output, passed: false, attempts };
}
