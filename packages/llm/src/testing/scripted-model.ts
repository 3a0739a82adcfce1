import { raceAbort, sleep } from '../abort.js';
import { createLanguageModel, type PreparedRequest, type ProviderCompletion } from '../create-language-model.js';
import { KitError } from '../errors/kit-error.js';
import { ProviderError, type ProviderErrorKind } from '../errors/provider-error.js';
import type { LanguageModel, ModelCapabilities } from '../language-model.js';
import { estimateTokensFast } from '../tokens/estimate.js';
import type { ReasoningPart } from '../types/message.js';
import type { CompletionRequest } from '../types/request.js';
import type { FinishReason, Usage } from '../types/response.js';
import type { ProviderStreamPart } from '../types/stream-part.js';
import { deterministicEmbedding } from './deterministic-embedding.js';

/** One scripted reply in object form. */
export interface ScriptedTurn {
  /** The reply text. Default: `object`'s JSON text when given, else empty. */
  text?: string;
  /** A structured reply: sent as its JSON text, parsed and validated like a real one. */
  object?: unknown;
  /** Tool calls to make; validated against the request's tools like a real provider's. */
  toolCalls?: Array<{
    /** The call's id. Default `call_<turn>_<index>`. */
    id?: string;
    /** The tool to call. */
    name: string;
    /** The arguments as an object, or as JSON text (which may be made invalid on purpose). */
    arguments: Record<string, unknown> | string;
  }>;
  /** Reasoning parts to return (streamed as `reasoning-delta` parts). */
  reasoning?: ReasoningPart[];
  /** Default: `tool-calls` when the turn has tool calls, else `stop`. */
  finishReason?: FinishReason;
  /** Default: estimated from the request and reply text. */
  usage?: Partial<Usage>;
  /** Delay before the reply (before the first part of a stream). */
  latencyMs?: number;
  /** Characters per `text-delta` part when streamed. */
  chunkSize?: number;
  /** Fail instead of replying: an error, or a `ProviderError` kind. */
  error?: Error | ProviderErrorKind;
}

/** A reply: plain text, a turn, or a function of the request that returns one. */
export type ScriptedReply =
  | string
  | ScriptedTurn
  | ((request: CompletionRequest, index: number) => string | ScriptedTurn | Promise<string | ScriptedTurn>);

/** Options of {@link scriptedModel}. */
export interface ScriptedModelOptions {
  /** The model's `provider`. Default `scripted`. */
  provider?: string;
  /** Name a real model id (`gpt-4o-mini`) to get its token counts and prices in reports. */
  modelId?: string;
  /** Default latency of every reply. */
  latencyMs?: number;
  /** Default stream chunk size in characters. Default 16. */
  chunkSize?: number;
  /** Start again from the first reply when the script runs out (instead of failing). */
  loop?: boolean;
  /** Keep every request in `requests`. Default true; turn off for long benchmarks. */
  recordRequests?: boolean;
  /** Overrides of its capabilities; by default it claims all of them, structured output as `native`. */
  capabilities?: Partial<ModelCapabilities>;
  /** Embedding dimensions of `embed`. Default 64. */
  dimensions?: number;
}

/** A scripted model, with what it saw. */
export interface ScriptedModel extends LanguageModel {
  /** Every request the model received, in order (validated copies). */
  readonly requests: CompletionRequest[];
  /** Replies not yet used (Infinity when looping). */
  readonly remaining: number;
}

/** Raised when a scripted model is asked for more replies than its script holds. */
export class ScriptExhaustedError extends KitError {
  /** Builds the error with code `scripted/exhausted`; `count` is how many replies the script held. */
  constructor(count: number) {
    super('scripted/exhausted', `The scripted model has no reply left: its script holds ${count} and request ${count + 1} arrived`);
  }
}

function usageFor(request: CompletionRequest, text: string, given: Partial<Usage> | undefined): Usage {
  // The request is a `TokenCountInput` already (messages, tools): no wrapper object per call.
  const inputTokens = given?.inputTokens ?? estimateTokensFast(request);
  const outputTokens = given?.outputTokens ?? Math.ceil(text.length / 4);
  const totalTokens = given?.totalTokens ?? inputTokens + outputTokens;
  if (given === undefined) return { inputTokens, outputTokens, totalTokens };
  return Object.assign({}, given, { inputTokens, outputTokens, totalTokens });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * `value` after `ms`. Without a signal this is one timer and one promise, with no closure kept
 * per call: under a load test thousands of calls wait here at once, and what each holds is what
 * the garbage collector copies. With a signal, an abort ends the wait early (and frees the timer).
 */
function after<T>(ms: number, signal: AbortSignal | undefined, value: T): Promise<T> {
  if (signal === undefined) return new Promise<T>((resolve) => setTimeout(resolve, ms, value));
  return sleep(ms, signal).then(() => value);
}

/**
 * A model that answers from a script: for tests, demos and offline runs. It goes through the same
 * core as real providers, so requests are validated, tool calls are checked against their
 * schemas, structured replies are parsed, and aborts and streams behave as they do for real.
 *
 * @example
 * const model = scriptedModel(['Hello!', { toolCalls: [{ name: 'lookup', arguments: { id: 7 } }] }]);
 */
export function scriptedModel(replies: readonly ScriptedReply[], options: ScriptedModelOptions = {}): ScriptedModel {
  const script = [...replies];
  const requests: CompletionRequest[] = [];
  const record = options.recordRequests ?? true;
  let index = 0;

  /** Records the request and takes the next reply: the turn itself, or a promise of it when a function returns one. */
  function takeReply(request: PreparedRequest): { reply: string | ScriptedTurn | PromiseLike<string | ScriptedTurn>; n: number } {
    if (record) {
      const { toolSchemas: _t, responseSchema: _r, ...plain } = request;
      requests.push(plain);
    }
    if (index >= script.length && !(options.loop && script.length > 0)) throw new ScriptExhaustedError(script.length);
    const n = index++;
    const reply = script[n % script.length]!;
    return { reply: typeof reply === 'function' ? reply(request, n) : reply, n };
  }

  function asTurn(reply: string | ScriptedTurn): ScriptedTurn {
    return typeof reply === 'string' ? { text: reply } : reply;
  }

  function latencyOf(turn: ScriptedTurn): number {
    return turn.latencyMs ?? options.latencyMs ?? 0;
  }

  function scriptedError(turn: ScriptedTurn): Error | undefined {
    if (turn.error === undefined) return undefined;
    return typeof turn.error === 'string'
      ? new ProviderError({ kind: turn.error, message: `scripted ${turn.error} error`, provider: options.provider ?? 'scripted' })
      : turn.error;
  }

  async function nextTurn(request: PreparedRequest): Promise<{ turn: ScriptedTurn; n: number }> {
    const taken = takeReply(request);
    const turn = asTurn(await taken.reply);
    const latency = latencyOf(turn);
    if (latency > 0) await sleep(latency, request.signal);
    const error = scriptedError(turn);
    if (error !== undefined) throw error;
    return { turn, n: taken.n };
  }

  /**
   * One reply of `complete`. A reply known at once (not a promise) is answered with at most one
   * timer and one promise: no async frames wait through the latency, since a load test keeps
   * thousands of calls waiting there at once. The reply is built before the wait; it depends
   * only on the turn and the request.
   */
  function completeTurn(request: PreparedRequest): Promise<ProviderCompletion> {
    const { reply, n } = takeReply(request);
    // A reply function's promise may ignore the signal: raced here, since the core does not race (completeHonorsSignal).
    if (isPromiseLike(reply)) return raceAbort(Promise.resolve(reply), request.signal).then((resolved) => settleTurn(asTurn(resolved), n, request));
    return settleTurn(asTurn(reply), n, request);
  }

  function settleTurn(turn: ScriptedTurn, n: number, request: PreparedRequest): Promise<ProviderCompletion> {
    const latency = latencyOf(turn);
    const error = scriptedError(turn);
    if (error !== undefined) return latency > 0 ? sleep(latency, request.signal).then(() => Promise.reject(error)) : Promise.reject(error);
    const reply = completion(turn, n, request);
    return latency > 0 ? after(latency, request.signal, reply) : Promise.resolve(reply);
  }

  function completion(turn: ScriptedTurn, n: number, request: CompletionRequest): ProviderCompletion {
    const text = turn.text ?? (turn.object !== undefined ? JSON.stringify(turn.object) : '');
    const toolCalls =
      turn.toolCalls === undefined || turn.toolCalls.length === 0
        ? undefined
        : turn.toolCalls.map((call, i) =>
            typeof call.arguments === 'string'
              ? { id: call.id ?? `call_${n}_${i}`, name: call.name, rawArguments: call.arguments }
              : { id: call.id ?? `call_${n}_${i}`, name: call.name, arguments: call.arguments },
          );
    return {
      text,
      toolCalls,
      reasoning: turn.reasoning,
      finishReason: turn.finishReason ?? (toolCalls !== undefined ? 'tool-calls' : 'stop'),
      usage: usageFor(request, text, turn.usage),
    };
  }

  const model = createLanguageModel({
    provider: options.provider ?? 'scripted',
    modelId: options.modelId ?? 'scripted',
    capabilities: { structuredOutput: 'native', embeddings: true, images: true, reasoning: true, ...options.capabilities },
    // Latency waits on the signal, and a reply function's promise is raced against it.
    completeHonorsSignal: true,
    doComplete(request) {
      try {
        return completeTurn(request);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async *doStream(request): AsyncGenerator<ProviderStreamPart> {
      const { turn, n } = await nextTurn(request);
      const reply = completion(turn, n, request);
      for (const r of reply.reasoning ?? []) {
        const part: ProviderStreamPart = { type: 'reasoning-delta', text: r.text };
        if (r.signature !== undefined) part.signature = r.signature;
        yield part;
      }
      const size = Math.max(1, turn.chunkSize ?? options.chunkSize ?? 16);
      for (let i = 0; i < reply.text.length; i += size) {
        request.signal?.throwIfAborted();
        yield { type: 'text-delta', text: reply.text.slice(i, i + size) };
      }
      for (const call of reply.toolCalls ?? []) {
        const raw = 'rawArguments' in call ? call.rawArguments : JSON.stringify(call.arguments);
        yield { type: 'tool-call-start', id: call.id, name: call.name };
        // Split the arguments in two deltas, as providers do, so assembly is exercised.
        const half = Math.ceil(raw.length / 2);
        yield { type: 'tool-call-delta', id: call.id, argumentsDelta: raw.slice(0, half) };
        yield { type: 'tool-call-delta', id: call.id, argumentsDelta: raw.slice(half) };
        yield { type: 'tool-call-end', id: call.id };
      }
      yield { type: 'usage', usage: usageFor(request, reply.text, reply.usage) };
      yield { type: 'finish', finishReason: reply.finishReason };
    },
    async doEmbed(values) {
      return {
        embeddings: values.map((v) => deterministicEmbedding(v, options.dimensions ?? 64)),
        usage: { inputTokens: values.reduce((sum, v) => sum + estimateTokensFast(v), 0) },
      };
    },
  });

  // defineProperty, not Object.assign: assign would copy the getter's value once.
  return Object.defineProperties(model, {
    requests: { value: requests, enumerable: true },
    remaining: {
      get: () => (options.loop ? Number.POSITIVE_INFINITY : script.length - index),
      enumerable: true,
    },
  }) as ScriptedModel;
}
