import type { FinishReason, Usage } from './response.js';

/**
 * The events of a streamed reply, in order: deltas, then tool calls as start/delta/end per id,
 * then `usage` (when the provider reports it) and `finish` last.
 */
export type StreamPart =
  | {
      /** A piece of the reply text. */
      type: 'text-delta';
      /** The next characters of the text, to append to what came before. */
      text: string;
    }
  | {
      /** A piece of the model's reasoning. */
      type: 'reasoning-delta';
      /** The next reasoning characters; empty when the part only carries `signature` or `redactedData`. */
      text: string;
      /** The opaque signature closing a reasoning block; kept with the reasoning to send back. */
      signature?: string;
      /** Provider-encrypted reasoning that cannot be shown (Anthropic `redacted_thinking`). */
      redactedData?: string;
    }
  | {
      /** A tool call begins; its arguments follow as `tool-call-delta` parts with the same `id`. */
      type: 'tool-call-start';
      /** The call's id, shared by its delta and end parts. */
      id: string;
      /** The tool the model calls. */
      name: string;
    }
  | {
      /** A piece of a tool call's arguments. */
      type: 'tool-call-delta';
      /** The id of the call given by its `tool-call-start`. */
      id: string;
      /** The next characters of the arguments' JSON text; not valid JSON on its own. */
      argumentsDelta: string;
    }
  | {
      /** A tool call is complete and its arguments validated. */
      type: 'tool-call-end';
      /** The call's id. */
      id: string;
      /** The tool the model calls. */
      name: string;
      /** The arguments, parsed and validated against the tool's `parameters`. */
      arguments: Record<string, unknown>;
    }
  | {
      /** The tokens of the call; comes before `finish`, and only when the provider reports usage. */
      type: 'usage';
      /** The tokens the call took. */
      usage: Usage;
    }
  | {
      /** The last part of a stream that ended well. */
      type: 'finish';
      /** Why the model stopped. */
      finishReason: FinishReason;
      /** Provider-specific extras (response id, timings), as on `CompletionResponse.providerMetadata`. */
      providerMetadata?: Record<string, unknown>;
    };

/**
 * What a provider adapter yields: like {@link StreamPart}, but a `tool-call-end` may leave its
 * arguments out, in which case the core assembles them from the deltas it saw for that id.
 */
export type ProviderStreamPart =
  | Exclude<
      StreamPart,
      {
        /** The variant replaced by the one below. */
        type: 'tool-call-end';
      }
    >
  | {
      /** A tool call is complete; the core parses and validates its arguments. */
      type: 'tool-call-end';
      /** The call's id, as on its `tool-call-start`. */
      id: string;
      /** The tool's name; unset takes it from the call's `tool-call-start`. */
      name?: string;
      /** The whole arguments JSON text; unset joins the call's `tool-call-delta` parts. */
      rawArguments?: string;
    };
