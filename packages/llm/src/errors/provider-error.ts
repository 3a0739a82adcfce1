import type { z } from 'zod';
import { KitError } from './kit-error.js';

/**
 * What went wrong with a model call. `rate-limit`, `server`, `timeout` and `network` are retryable
 * by default; `auth`, `invalid-request`, `context-length`, `content-filter` and `aborted` are not.
 */
export type ProviderErrorKind =
  | 'rate-limit'
  | 'auth'
  | 'invalid-request'
  | 'context-length'
  | 'content-filter'
  | 'server'
  | 'timeout'
  | 'network'
  | 'aborted';

const RETRYABLE_BY_DEFAULT: Record<ProviderErrorKind, boolean> = {
  'rate-limit': true,
  auth: false,
  'invalid-request': false,
  'context-length': false,
  'content-filter': false,
  server: true,
  timeout: true,
  network: true,
  aborted: false,
};

/** What a {@link ProviderError} is made of. */
export interface ProviderErrorOptions {
  /** What went wrong; sets the error's `code` (`provider/<kind>`) and default `retryable`. */
  kind: ProviderErrorKind;
  /** The human-readable message. */
  message: string;
  /** The provider's name, e.g. `openai`. */
  provider?: string | undefined;
  /** The HTTP status, when the provider answered with one. */
  status?: number | undefined;
  /** Overrides the kind's default (rate-limit, server, timeout and network retry). */
  retryable?: boolean | undefined;
  /** How long the provider asked to wait before retrying, in milliseconds (from `retry-after`). */
  retryAfterMs?: number | undefined;
  /** Validation issues, for `invalid-request` raised before any network call. */
  issues?: z.core.$ZodIssue[] | undefined;
  /** What had arrived before a stream broke off. */
  received?: unknown;
  /** The underlying error (SDK, fetch, socket), kept as `Error.cause`. */
  cause?: unknown;
}

/** Every failure of a model call, classified so that middleware and callers can act on `kind`. */
export class ProviderError extends KitError {
  /** What went wrong; the error's `code` is `provider/<kind>`. */
  readonly kind: ProviderErrorKind;
  /** Whether retrying may help: the option given, else the kind's default (see {@link ProviderErrorKind}). */
  readonly retryable: boolean;
  /** How long the provider asked to wait before retrying, in milliseconds; undefined when it did not say. */
  readonly retryAfterMs: number | undefined;
  /** The provider's name, e.g. `openai`; undefined when the error did not come from one. */
  readonly provider: string | undefined;
  /** The HTTP status of the failed response; undefined for network errors, aborts and local validation. */
  readonly status: number | undefined;
  /** Validation issues of an `invalid-request` raised before any network call; else undefined. */
  readonly issues: z.core.$ZodIssue[] | undefined;
  /**
   * What arrived: the partial `CompletionResponse` of a stream that broke off, or the body of an
   * HTTP error response; undefined when nothing did.
   */
  readonly received: unknown;

  /** Builds the error from its options; `retryable` defaults by `kind`. */
  constructor(options: ProviderErrorOptions) {
    super(`provider/${options.kind}`, options.message, { cause: options.cause });
    this.kind = options.kind;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT[options.kind];
    this.retryAfterMs = options.retryAfterMs;
    this.provider = options.provider;
    this.status = options.status;
    this.issues = options.issues;
    this.received = options.received;
  }
}

/** True when `error` is a {@link ProviderError}, and of `kind` when one is given. */
export function isProviderError(error: unknown, kind?: ProviderErrorKind): error is ProviderError {
  return error instanceof ProviderError && (kind === undefined || error.kind === kind);
}

/** Turns zod issues into one readable line per problem, each naming its path. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

export function invalidRequestError(what: string, issues: z.core.$ZodIssue[], provider?: string): ProviderError {
  return new ProviderError({
    kind: 'invalid-request',
    message: `Invalid ${what}: ${formatIssues(issues)}`,
    issues,
    provider,
  });
}

export function abortedError(provider?: string, cause?: unknown): ProviderError {
  return new ProviderError({ kind: 'aborted', message: 'The call was aborted', provider, cause });
}
