import type { z } from 'zod';
import { KitError } from './kit-error.js';
import { formatIssues } from './provider-error.js';

/** The model's reply was not the JSON the request asked for. `rawText` is what it said. */
export class StructuredOutputError extends KitError {
  /** The reply text as the model sent it, unparsed. */
  readonly rawText: string;
  /** Where the parsed JSON failed the schema; undefined when the text was not valid JSON. */
  readonly issues: z.core.$ZodIssue[] | undefined;

  /**
   * Builds the error with code `structured-output/invalid`.
   * @param rawText - The reply text.
   * @param reason - `issues` when the JSON failed the schema; `cause` when it did not parse.
   */
  constructor(rawText: string, reason: { issues?: z.core.$ZodIssue[]; cause?: unknown }) {
    const detail = reason.issues ? formatIssues(reason.issues) : 'the reply is not valid JSON';
    super('structured-output/invalid', `The reply does not match the requested format: ${detail}`, {
      cause: reason.cause,
    });
    this.rawText = rawText;
    this.issues = reason.issues;
  }
}

/**
 * Why a tool call failed: its arguments were not JSON, did not match the tool's schema, it named no
 * known tool, or the stream ended before the call was complete.
 */
export type ToolCallErrorReason = 'invalid-json' | 'invalid-arguments' | 'unknown-tool' | 'incomplete';

/** A tool call from the model could not be turned into a valid call. */
export class ToolCallError extends KitError {
  /** The id of the failed call. */
  readonly toolCallId: string;
  /** The tool the model named; `(unknown)` when a stream ended before naming it. */
  readonly toolName: string;
  /** The arguments as the model sent them (JSON text, possibly partial or invalid). */
  readonly rawArguments: string;
  /** Why the call failed; the error's `code` is `tool-call/<reason>`. */
  readonly reason: ToolCallErrorReason;
  /** Where the arguments failed the tool's schema, for `invalid-arguments`; else undefined. */
  readonly issues: z.core.$ZodIssue[] | undefined;

  /** Builds the error with code `tool-call/<reason>` and a message naming the tool and call id. */
  constructor(options: {
    toolCallId: string;
    toolName: string;
    rawArguments: string;
    reason: ToolCallErrorReason;
    issues?: z.core.$ZodIssue[] | undefined;
    cause?: unknown;
  }) {
    const detail = {
      'invalid-json': 'its arguments are not valid JSON',
      'invalid-arguments': `its arguments do not match the tool's schema (${formatIssues(options.issues ?? [])})`,
      'unknown-tool': 'no tool of that name was offered',
      incomplete: 'the stream ended before the call was complete',
    }[options.reason];
    super(`tool-call/${options.reason}`, `Tool call ${options.toolName} (${options.toolCallId}): ${detail}`, {
      cause: options.cause,
    });
    this.toolCallId = options.toolCallId;
    this.toolName = options.toolName;
    this.rawArguments = options.rawArguments;
    this.reason = options.reason;
    this.issues = options.issues;
  }
}
