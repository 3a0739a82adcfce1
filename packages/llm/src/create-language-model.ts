import { linkedAbortController, raceAbort } from './abort.js';
import { classifyError } from './errors/classify-error.js';
import { ProviderError, abortedError, invalidRequestError } from './errors/provider-error.js';
import { ToolCallError } from './errors/structured-output-error.js';
import type { LanguageModel, ModelCapabilities, TokenCount, TokenCountInput } from './language-model.js';
import { parseCompletionRequest, parseEmbeddingRequest } from './request-validation.js';
import { StreamAccumulator, responseToStreamParts } from './stream/collect-stream.js';
import { finalizeToolCall } from './stream/tool-call-arguments.js';
import { parseStructuredOutput } from './structured-output.js';
import { countTokens } from './tokens/token-counter.js';
import { toJsonSchema, type JsonSchema } from './types/json-schema.js';
import type { ReasoningPart } from './types/message.js';
import type { CompletionRequest, EmbeddingRequest } from './types/request.js';
import type { CompletionResponse, EmbeddingResponse, FinishReason, Usage } from './types/response.js';
import type { ProviderStreamPart, StreamPart } from './types/stream-part.js';
import type { ToolDefinition } from './types/tool.js';

/** A validated request plus what adapters need to send it: tools and the response schema as JSON Schema. */
export interface PreparedRequest extends CompletionRequest {
  toolSchemas: Array<{ name: string; description?: string | undefined; parameters: JsonSchema }>;
  responseSchema: JsonSchema | undefined;
}

/** A tool call as a provider returned it: arguments as a JSON string, or already parsed. */
export type ProviderToolCall =
  | { id: string; name: string; rawArguments: string }
  | { id: string; name: string; arguments: Record<string, unknown> };

/** What an adapter's `doComplete` returns; the core parses and validates the rest. */
export interface ProviderCompletion {
  text: string;
  toolCalls?: ProviderToolCall[] | undefined;
  reasoning?: ReasoningPart[] | undefined;
  finishReason: FinishReason;
  usage: Partial<Usage> & { inputTokens: number; outputTokens: number };
  /** The model that answered, when the provider names a more specific one than was asked for. */
  model?: string | undefined;
  providerMetadata?: Record<string, unknown> | undefined;
}

/** What a provider adapter implements: the translation to and from one API, nothing shared. */
export interface LanguageModelSpec {
  provider: string;
  modelId: string;
  capabilities?: Partial<ModelCapabilities> | undefined;
  doComplete(request: PreparedRequest): Promise<ProviderCompletion>;
  /** Optional: without it, `stream` replays the result of `doComplete`. */
  doStream?(request: PreparedRequest): AsyncIterable<ProviderStreamPart>;
  doEmbed?(
    values: string[],
    request: EmbeddingRequest,
  ): Promise<{ embeddings: number[][]; usage?: { inputTokens: number } | undefined; model?: string | undefined }>;
  /** How many values one embedding call takes; larger requests are split into batches. */
  maxEmbeddingsPerCall?: number | undefined;
  doCountTokens?(input: TokenCountInput): Promise<TokenCount>;
  /** Maps a thrown SDK error to a Kit error; defaults to `classifyError`. */
  mapError?(error: unknown, signal?: AbortSignal): Error;
}

function toolMap(tools: ToolDefinition<any>[] | undefined): Map<string, ToolDefinition<any>> | undefined {
  if (tools === undefined || tools.length === 0) return undefined;
  return new Map(tools.map((t) => [t.name, t]));
}

function prepare(request: CompletionRequest, provider: string): PreparedRequest {
  try {
    const toolSchemas = (request.tools ?? []).map((t) => ({
      name: t.name,
      description: t.description,
      parameters: toJsonSchema(t.parameters),
    }));
    const format = request.responseFormat;
    const responseSchema = format?.type === 'json' && format.schema ? toJsonSchema(format.schema) : undefined;
    return { ...request, toolSchemas, responseSchema };
  } catch (cause) {
    // zod cannot express some schemas (transforms to dates, say) as JSON Schema.
    throw new ProviderError({
      kind: 'invalid-request',
      message: `Invalid request: a tool or response schema cannot be expressed as JSON Schema: ${String(cause)}`,
      provider,
      cause,
    });
  }
}

/**
 * A stream that fails midway (a malformed line, an error event, a dropped connection) fails with
 * what had arrived, so the caller can see or keep it; the adapter's error rarely knows it.
 */
function withReceived(error: Error, accumulator: StreamAccumulator): Error {
  if (!(error instanceof ProviderError) || error.received !== undefined || error.kind === 'aborted') return error;
  const received = accumulator.response();
  if (received.text === '' && received.toolCalls.length === 0 && received.reasoning.length === 0) return error;
  return new ProviderError({
    kind: error.kind,
    message: error.message,
    provider: error.provider,
    status: error.status,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    received,
    cause: error.cause ?? error,
  });
}

function normalizeUsage(usage: ProviderCompletion['usage']): Usage {
  const out: Usage = {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: usage.totalTokens ?? usage.inputTokens + usage.outputTokens,
  };
  if (usage.cachedInputTokens !== undefined) out.cachedInputTokens = usage.cachedInputTokens;
  if (usage.cacheWriteInputTokens !== undefined) out.cacheWriteInputTokens = usage.cacheWriteInputTokens;
  if (usage.reasoningTokens !== undefined) out.reasoningTokens = usage.reasoningTokens;
  return out;
}

/**
 * Builds a {@link LanguageModel} from a provider spec. Everything providers share lives here:
 * request validation before any network call, JSON Schema conversion, abort handling, tool-call
 * assembly and validation, structured-output parsing, embedding batches and token counting.
 */
export function createLanguageModel(spec: LanguageModelSpec): LanguageModel {
  const { provider, modelId } = spec;
  const mapError = spec.mapError ?? ((error: unknown, signal?: AbortSignal) => classifyError(error, provider, signal));
  const capabilities: ModelCapabilities = {
    streaming: true,
    tools: true,
    structuredOutput: 'none',
    embeddings: spec.doEmbed !== undefined,
    images: false,
    reasoning: false,
    ...spec.capabilities,
  };

  function finish(raw: ProviderCompletion, request: PreparedRequest): CompletionResponse {
    const tools = toolMap(request.tools);
    const response: CompletionResponse = {
      text: raw.text,
      toolCalls: (raw.toolCalls ?? []).map((call) =>
        finalizeToolCall(call.id, call.name, 'rawArguments' in call ? call.rawArguments : call.arguments, tools),
      ),
      reasoning: raw.reasoning ?? [],
      finishReason: raw.finishReason,
      usage: normalizeUsage(raw.usage),
      provider,
      model: raw.model ?? modelId,
    };
    if (raw.providerMetadata !== undefined) response.providerMetadata = raw.providerMetadata;
    if (request.responseFormat?.type === 'json' && response.toolCalls.length === 0) {
      response.object = parseStructuredOutput(response.text, request.responseFormat);
    }
    return response;
  }

  async function complete(input: CompletionRequest): Promise<CompletionResponse> {
    const request = parseCompletionRequest(input, provider);
    const signal = request.signal;
    if (signal?.aborted) throw abortedError(provider, signal.reason);
    const prepared = prepare(request, provider);
    let raw: ProviderCompletion;
    try {
      raw = await raceAbort(spec.doComplete(prepared), signal, provider);
    } catch (error) {
      throw mapError(error, signal);
    }
    return finish(raw, prepared);
  }

  async function* stream(input: CompletionRequest): AsyncGenerator<StreamPart> {
    const request = parseCompletionRequest(input, provider);
    const external = request.signal;
    if (external?.aborted) throw abortedError(provider, external.reason);
    if (spec.doStream === undefined) {
      yield* responseToStreamParts(await complete(request));
      return;
    }
    // Our own controller, so that a consumer that stops early also stops the provider call.
    const { controller, dispose } = linkedAbortController(external);
    const prepared = { ...prepare(request, provider), signal: controller.signal };
    const tools = toolMap(request.tools);
    const accumulator = new StreamAccumulator(provider, modelId);
    const pending = new Map<string, { name: string; args: string }>();
    const iterator = spec.doStream(prepared)[Symbol.asyncIterator]();
    // One abort promise per stream, raced against each chunk: an abort ends the stream even if
    // the provider's iterator never settles.
    let abortPromise: Promise<never> | undefined;
    if (external !== undefined) {
      abortPromise = new Promise<never>((_, reject) => {
        controller.signal.addEventListener('abort', () => reject(abortedError(provider, external.reason)), { once: true });
      });
      abortPromise.catch(() => undefined);
    }
    let done = false;

    const endToolCall = (id: string, name: string | undefined, rawArguments: string | undefined): StreamPart => {
      const open = pending.get(id);
      pending.delete(id);
      const toolName = name ?? open?.name;
      if (toolName === undefined) {
        throw new ToolCallError({ toolCallId: id, toolName: '(unknown)', rawArguments: rawArguments ?? '', reason: 'incomplete' });
      }
      const call = finalizeToolCall(id, toolName, rawArguments ?? open?.args ?? '', tools);
      return { type: 'tool-call-end', id, name: call.name, arguments: call.arguments };
    };

    try {
      for (;;) {
        let result: IteratorResult<ProviderStreamPart>;
        try {
          result = await (abortPromise ? Promise.race([iterator.next(), abortPromise]) : iterator.next());
        } catch (error) {
          throw withReceived(mapError(error, controller.signal), accumulator);
        }
        if (result.done) break;
        const part = result.value;
        let out: StreamPart;
        switch (part.type) {
          case 'tool-call-start':
            pending.set(part.id, { name: part.name, args: '' });
            out = part;
            break;
          case 'tool-call-delta': {
            const open = pending.get(part.id);
            if (open === undefined) {
              throw new ToolCallError({ toolCallId: part.id, toolName: '(unknown)', rawArguments: part.argumentsDelta, reason: 'incomplete' });
            }
            open.args += part.argumentsDelta;
            out = part;
            break;
          }
          case 'tool-call-end':
            out = endToolCall(part.id, part.name, part.rawArguments);
            break;
          case 'finish':
            // Providers that never send an explicit end (OpenAI) close their calls at finish.
            for (const [id] of [...pending]) {
              const end = endToolCall(id, undefined, undefined);
              accumulator.add(end);
              yield end;
            }
            if (request.responseFormat?.type === 'json' && accumulator.response().toolCalls.length === 0) {
              parseStructuredOutput(accumulator.response().text, request.responseFormat);
            }
            out = part;
            break;
          default:
            out = part;
        }
        accumulator.add(out);
        yield out;
      }
      if (!accumulator.finished) {
        for (const [id, open] of pending) {
          throw new ToolCallError({ toolCallId: id, toolName: open.name, rawArguments: open.args, reason: 'incomplete' });
        }
        throw new ProviderError({
          kind: 'network',
          message: `${provider}: the stream ended before the reply finished`,
          provider,
          received: accumulator.response(),
        });
      }
      done = true;
    } finally {
      dispose();
      if (!done) {
        controller.abort();
        // Not awaited: a provider iterator stuck in a read settles once the abort reaches it.
        iterator.return?.().catch(() => undefined);
      }
    }
  }

  async function embed(input: EmbeddingRequest): Promise<EmbeddingResponse> {
    const request = parseEmbeddingRequest(input, provider);
    if (spec.doEmbed === undefined) {
      throw invalidRequestError('embedding request', [
        { code: 'custom', path: [], message: `${provider}:${modelId} does not make embeddings`, input: undefined },
      ], provider);
    }
    const signal = request.signal;
    if (signal?.aborted) throw abortedError(provider, signal.reason);
    const batchSize = spec.maxEmbeddingsPerCall ?? 2048;
    const embeddings: number[][] = [];
    let inputTokens = 0;
    let model = modelId;
    for (let start = 0; start < request.values.length; start += batchSize) {
      const batch = request.values.slice(start, start + batchSize);
      let result: Awaited<ReturnType<NonNullable<LanguageModelSpec['doEmbed']>>>;
      try {
        result = await raceAbort(spec.doEmbed(batch, request), signal, provider);
      } catch (error) {
        throw mapError(error, signal);
      }
      if (result.embeddings.length !== batch.length) {
        throw new ProviderError({
          kind: 'server',
          retryable: false,
          message: `${provider}: asked for ${batch.length} embeddings, got ${result.embeddings.length}`,
          provider,
          received: result,
        });
      }
      embeddings.push(...result.embeddings);
      inputTokens += result.usage?.inputTokens ?? 0;
      model = result.model ?? model;
    }
    return { embeddings, usage: { inputTokens }, provider, model };
  }

  return {
    provider,
    modelId,
    capabilities,
    complete: complete as LanguageModel['complete'],
    stream,
    embed,
    countTokens: (input) => (spec.doCountTokens ? spec.doCountTokens(input) : countTokens(input, { model: modelId })),
  };
}
