import {
  CostLedger,
  costLedger,
  log,
  retry,
  timeout,
  wrapModel,
  type CompletionRequest,
  type LanguageModel,
  type LanguageModelMiddleware,
  type LedgerKeys,
  type LogEvent,
} from '@kit/llm';
import type { ScriptedModel } from '@kit/llm/testing';

/** The model id the offline scripts stand in for: token counts and prices are gpt-4o-mini's. */
export const OFFLINE_MODEL_ID = 'gpt-4o-mini';

/** What a call asked for: a JSON reply, a tool round, or text. */
function callKind(request: CompletionRequest): string {
  if (request.responseFormat?.type === 'json') return 'json';
  return request.tools !== undefined && request.tools.length > 0 ? 'tools' : 'text';
}

/** Puts labels (the step's keys and the call's kind) into each request's metadata, where the ledger and the log read them. */
function labelCalls(keys: LedgerKeys): LanguageModelMiddleware {
  const label = (request: CompletionRequest): CompletionRequest => ({ ...request, metadata: { ...keys, kind: callKind(request), ...request.metadata } });
  return {
    name: 'label-calls',
    complete: (request, next) => next(label(request)),
    tapStream: (request, next) => next(label(request)),
  };
}

/**
 * The models of one demo run. Every step gets its model from `forStep`, wrapped in the same
 * middleware a real app would use (log, cost ledger, retry, timeout) and labelled with the step's
 * keys, so one ledger prices every call of the run. Offline, each step is answered by the scripted
 * model the step brings; with a provider, every step shares the real model and the scripts are
 * never built.
 */
export class DemoModels {
  readonly ledger = new CostLedger();
  readonly logEvents: LogEvent[] = [];
  readonly #real: LanguageModel | undefined;
  readonly #middleware: LanguageModelMiddleware[];

  /** @param real the provider's model; `undefined` runs offline. */
  constructor(real: LanguageModel | undefined) {
    this.#real = real;
    // One instance of each layer for the whole run: the log and the ledger see every call.
    this.#middleware = [
      log({ logger: (event) => this.logEvents.push(event) }),
      costLedger(this.ledger),
      retry({ baseDelayMs: 40, maxAttempts: 3 }),
      timeout({ ms: 60_000 }),
    ];
  }

  get offline(): boolean {
    return this.#real === undefined;
  }

  /** `provider:model` of the calls, as the ledger records them. */
  get description(): string {
    return this.#real === undefined ? `scripted:${OFFLINE_MODEL_ID}` : `${this.#real.provider}:${this.#real.modelId}`;
  }

  /** A model for one step; `offlineModel` is called only when running offline. */
  forStep(keys: LedgerKeys, offlineModel: () => ScriptedModel): LanguageModel {
    return wrapModel(this.#real ?? offlineModel(), [labelCalls(keys), ...this.#middleware]);
  }

  /** How many log events of each kind the run produced (`start`, `finish`, `retry`, ...). */
  logCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const event of this.logEvents) counts[event.event] = (counts[event.event] ?? 0) + 1;
    return counts;
  }
}
