import {
  StructuredOutputError,
  addUsage,
  emptyUsage,
  formatIssues,
  type CompletionRequest,
  type CompletionResponse,
  type LanguageModel,
  type Message,
  type Usage,
} from '@kit/llm';
import { tryExtractJson } from '@kit/prompts';
import type { z } from 'zod';
import { FsmReplyError } from '../errors/fsm-reply-error.js';

/** A reply that parsed, the text it came from, and what getting it cost. */
export interface StructuredReply<T> {
  value: T;
  rawText: string;
  /** Model calls made, repairs included. */
  attempts: number;
  usage: Usage;
}

export interface StructuredReplyOptions<T> {
  model: LanguageModel;
  request: CompletionRequest;
  schema: z.ZodType<T>;
  /** How many times a reply that does not parse is sent back with a repair message. */
  maxRepairAttempts: number;
}

/**
 * Asks for a JSON reply matching `schema`. Providers with structured output get the schema as the
 * response format; others are asked in the prompt and the JSON is found in the reply text. A
 * reply that does not parse goes back to the model with what was wrong, up to
 * `maxRepairAttempts` times; then {@link FsmReplyError} carries the last raw reply. Provider
 * errors are not retried here (that is the `retry` middleware's job).
 */
export function requestStructuredReply<T>(options: StructuredReplyOptions<T>): Promise<StructuredReply<T>> {
  if (options.model.capabilities.structuredOutput === 'none') return repairLoop(options, undefined);
  // The first attempt of a structured model is a plain promise chain, not an async function: the
  // runtime waits here on every turn, and a suspended async frame holds (and makes the GC copy)
  // several times what one reaction does.
  let first: Promise<CompletionResponse>;
  try {
    first = Promise.resolve(options.model.complete(withResponseFormat(options.request, options.schema)));
  } catch (error) {
    // As an async function would: a model that throws at once still gives a rejected promise.
    first = Promise.reject(error);
  }
  return first.then(
    (response): StructuredReply<T> => ({ value: response.object as T, rawText: response.text, attempts: 1, usage: response.usage }),
    (error: unknown) => {
      if (!(error instanceof StructuredOutputError)) throw error;
      return repairLoop(options, { rawText: error.rawText, reason: structuredFailure(error) });
    },
  );
}

function withResponseFormat<T>(request: CompletionRequest, schema: z.ZodType<T>): CompletionRequest {
  // Object.assign, not a spread: Node 20 is slow (~1-3 µs) to spread into an object that then
  // gains a key its source lacks, and this runs every turn.
  return Object.assign({}, request, { responseFormat: { type: 'json' as const, schema, name: 'fsm_reply' } });
}

function structuredFailure(error: StructuredOutputError): string {
  return error.issues ? formatIssues(error.issues) : 'the reply is not a JSON object';
}

/**
 * The attempts with repairs. `failedFirst`: a structured first call already made that failed to
 * parse; it is looked at and repaired, not sent again.
 */
async function repairLoop<T>(options: StructuredReplyOptions<T>, failedFirst: { rawText: string; reason: string } | undefined): Promise<StructuredReply<T>> {
  const { model, schema } = options;
  const structured = model.capabilities.structuredOutput !== 'none';
  let messages: Message[] = options.request.messages;
  let usage = emptyUsage();
  let rawText = '';
  let reason = '';
  const attempts = options.maxRepairAttempts + 1;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt === 1 && failedFirst !== undefined) {
      ({ rawText, reason } = failedFirst);
    } else {
      const request: CompletionRequest = attempt === 1 ? options.request : { ...options.request, messages };
      if (structured) {
        try {
          const response = await model.complete(withResponseFormat(request, schema));
          usage = addUsage(usage, response.usage);
          return { value: response.object as T, rawText: response.text, attempts: attempt, usage };
        } catch (error) {
          if (!(error instanceof StructuredOutputError)) throw error;
          rawText = error.rawText;
          reason = structuredFailure(error);
        }
      } else {
        const response = await model.complete(request);
        usage = addUsage(usage, response.usage);
        rawText = response.text;
      }
    }
    // Models often wrap the JSON in prose or a code fence: look for it before asking again.
    const found = tryExtractJson(rawText, { schema });
    if (found !== undefined) return { value: found as T, rawText, attempts: attempt, usage };
    if (!structured) reason = explain(rawText, schema);
    if (attempt < attempts) {
      messages = [
        ...messages,
        { role: 'assistant', content: rawText },
        { role: 'user', content: `Your last reply could not be used: ${reason}. Reply again with only the JSON object the instructions describe.` },
      ];
    }
  }
  throw new FsmReplyError(rawText, attempts, reason);
}

function explain(text: string, schema: z.ZodType): string {
  const json = tryExtractJson(text);
  if (json === undefined) return 'it holds no JSON object';
  const result = schema.safeParse(json);
  return result.success ? 'it holds no JSON object of the required shape' : formatIssues(result.error.issues);
}
