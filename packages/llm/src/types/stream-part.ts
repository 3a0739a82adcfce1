import type { FinishReason, Usage } from './response.js';

/**
 * The events of a streamed reply, in order: deltas, then tool calls as start/delta/end per id,
 * then `usage` (when the provider reports it) and `finish` last.
 */
export type StreamPart =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string; signature?: string; redactedData?: string }
  | { type: 'tool-call-start'; id: string; name: string }
  | { type: 'tool-call-delta'; id: string; argumentsDelta: string }
  | { type: 'tool-call-end'; id: string; name: string; arguments: Record<string, unknown> }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; finishReason: FinishReason; providerMetadata?: Record<string, unknown> };

/**
 * What a provider adapter yields: like {@link StreamPart}, but a `tool-call-end` may leave its
 * arguments out, in which case the core assembles them from the deltas it saw for that id.
 */
export type ProviderStreamPart =
  | Exclude<StreamPart, { type: 'tool-call-end' }>
  | { type: 'tool-call-end'; id: string; name?: string; rawArguments?: string };
