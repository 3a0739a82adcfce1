import type { ReasoningPart, ToolCall } from '../types/message.js';
import type { CompletionResponse, FinishReason, Usage } from '../types/response.js';
import type { StreamPart } from '../types/stream-part.js';

/** Builds a response from stream parts as they pass; `response()` gives what has arrived so far. */
export class StreamAccumulator {
  private text = '';
  /** Text deltas not yet joined into `text`: one array slot each, rather than a string node per delta. */
  private readonly pendingText: string[] = [];
  private readonly reasoning: ReasoningPart[] = [];
  private readonly toolCalls: ToolCall[] = [];
  private usage: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  private finishReason: FinishReason | undefined;
  private providerMetadata: Record<string, unknown> | undefined;
  private lastWasReasoning = false;

  /** Starts empty; `provider` and `model` go into every `response()` as they are. */
  constructor(
    private readonly provider: string,
    private readonly model: string,
  ) {}

  /** Takes in the next part of the stream. */
  add(part: StreamPart): void {
    switch (part.type) {
      case 'text-delta':
        this.pendingText.push(part.text);
        this.lastWasReasoning = false;
        return;
      case 'reasoning-delta': {
        // Consecutive reasoning deltas form one reasoning part; a signature closes it.
        let current = this.lastWasReasoning ? this.reasoning[this.reasoning.length - 1] : undefined;
        if (current === undefined) {
          current = { type: 'reasoning', text: '' };
          this.reasoning.push(current);
        }
        current.text += part.text;
        if (part.signature !== undefined) current.signature = part.signature;
        if (part.redactedData !== undefined) current.redactedData = part.redactedData;
        this.lastWasReasoning = part.signature === undefined && part.redactedData === undefined;
        return;
      }
      case 'tool-call-end':
        this.toolCalls.push({ id: part.id, name: part.name, arguments: part.arguments });
        this.lastWasReasoning = false;
        return;
      case 'usage':
        this.usage = part.usage;
        return;
      case 'finish':
        this.finishReason = part.finishReason;
        this.providerMetadata = part.providerMetadata;
        return;
      default:
        return;
    }
  }

  /** True once a `finish` part has been added. */
  get finished(): boolean {
    return this.finishReason !== undefined;
  }

  /**
   * The response as far as the stream got: the text and tool calls so far, the finish reason and
   * usage once they arrived.
   */
  response(): CompletionResponse {
    if (this.pendingText.length > 0) {
      this.text += this.pendingText.join('');
      this.pendingText.length = 0;
    }
    const response: CompletionResponse = {
      text: this.text,
      toolCalls: [...this.toolCalls],
      reasoning: this.reasoning.map((r) => ({ ...r })),
      finishReason: this.finishReason ?? 'other',
      usage: { ...this.usage },
      provider: this.provider,
      model: this.model,
    };
    if (this.providerMetadata !== undefined) response.providerMetadata = this.providerMetadata;
    return response;
  }
}

/**
 * Drains a stream into one response. Stream parts do not name the provider and model: pass them
 * in `info` to have them on the response (default `'unknown'`).
 */
export async function collectStream(
  parts: AsyncIterable<StreamPart>,
  info: { provider: string; model: string } = { provider: 'unknown', model: 'unknown' },
): Promise<CompletionResponse> {
  const accumulator = new StreamAccumulator(info.provider, info.model);
  for await (const part of parts) accumulator.add(part);
  return accumulator.response();
}

/** The parts a stream of this response would have had: used to replay cached and scripted replies. */
export function responseToStreamParts(response: CompletionResponse, options: { chunkSize?: number } = {}): StreamPart[] {
  const parts: StreamPart[] = [];
  for (const r of response.reasoning) {
    const part: StreamPart = { type: 'reasoning-delta', text: r.text };
    if (r.signature !== undefined) part.signature = r.signature;
    if (r.redactedData !== undefined) part.redactedData = r.redactedData;
    parts.push(part);
  }
  const size = options.chunkSize ?? Number.POSITIVE_INFINITY;
  for (let i = 0; i < response.text.length; i += size) {
    parts.push({ type: 'text-delta', text: response.text.slice(i, i + size) });
  }
  for (const call of response.toolCalls) {
    parts.push({ type: 'tool-call-start', id: call.id, name: call.name });
    parts.push({ type: 'tool-call-delta', id: call.id, argumentsDelta: JSON.stringify(call.arguments) });
    parts.push({ type: 'tool-call-end', id: call.id, name: call.name, arguments: call.arguments });
  }
  parts.push({ type: 'usage', usage: response.usage });
  const finish: StreamPart = { type: 'finish', finishReason: response.finishReason };
  if (response.providerMetadata !== undefined) finish.providerMetadata = response.providerMetadata;
  parts.push(finish);
  return parts;
}
