import {
  StructuredOutputError,
  addUsage,
  emptyUsage,
  formatIssues,
  type CompletionRequest,
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
export async function requestStructuredReply<T>(options: StructuredReplyOptions<T>): Promise<StructuredReply<T>> {
  const { model, schema } = options;
  const structured = model.capabilities.structuredOutput !== 'none';
  const responseFormat = { type: 'json' as const, schema, name: 'fsm_reply' };
  let messages: Message[] = options.request.messages;
  let usage = emptyUsage();
  let rawText = '';
  let reason = '';
  const attempts = options.maxRepairAttempts + 1;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const request: CompletionRequest = attempt === 1 ? options.request : { ...options.request, messages };
    if (structured) {
      try {
        // Object.assign, not a spread: Node 20 is slow (~1-3 µs) to spread into an object that
        // then gains a key its source lacks, and this runs every turn.
        const response = await model.complete(Object.assign({}, request, { responseFormat }));
        usage = addUsage(usage, response.usage);
        return { value: response.object, rawText: response.text, attempts: attempt, usage };
      } catch (error) {
        if (!(error instanceof StructuredOutputError)) throw error;
        rawText = error.rawText;
        reason = error.issues ? formatIssues(error.issues) : 'the reply is not a JSON object';
      }
    } else {
      const response = await model.complete(request);
      usage = addUsage(usage, response.usage);
      rawText = response.text;
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
