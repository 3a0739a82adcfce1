import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { createLanguageModel } from '../create-language-model.js';
import type { LanguageModel } from '../language-model.js';
import { PartStream } from '../stream/part-stream.js';
import { OPENAI_PROVIDER, createOpenAIClient, isOpenAIReasoningModel, type OpenAIModelOptions } from './openai-chat-model.js';
import { mapOpenAIResponsesError } from './openai-responses-errors.js';
import { toOpenAIResponsesParams } from './openai-responses-request.js';
import { fromOpenAIResponse } from './openai-responses-response.js';
import { openAIResponsesEventMapper } from './openai-responses-stream.js';
import { openAIStreamParts } from './openai-sse-stream.js';

/**
 * An OpenAI model through the Responses API (`POST /v1/responses`): complete, stream, tools,
 * structured output by `text.format` JSON Schema, and reasoning summaries that round-trip. The
 * options, the client (retries off) and the errors are those of `createOpenAIModel`; the
 * provider is `openai`, so pricing, ledgers and `providerOptions.openai` work unchanged.
 *
 * - Reasoning items come back as `reasoning` parts: the summary as text (ask for one with
 *   `providerOptions: { openai: { reasoning: { summary: 'auto' } } }`), and the encrypted
 *   reasoning in the part's `signature`, which is sent back on the next turn so that a tool loop
 *   keeps the model's reasoning without server-side state.
 * - `stop` and `seed` are invalid requests here: the Responses API has neither.
 * - No embeddings: use `createOpenAIModel` for those.
 *
 * ```ts
 * const model = createOpenAIResponsesModel('gpt-5-mini'); // OPENAI_API_KEY from the environment
 * const reply = await model.complete({ messages: [{ role: 'user', content: 'Hi' }] });
 * ```
 */
export function createOpenAIResponsesModel(modelId: string, options: OpenAIModelOptions = {}): LanguageModel {
  const client = createOpenAIClient(options);
  return createLanguageModel({
    provider: OPENAI_PROVIDER,
    modelId,
    capabilities: {
      structuredOutput: 'native',
      embeddings: false,
      images: true,
      reasoning: isOpenAIReasoningModel(modelId),
    },
    mapError: mapOpenAIResponsesError,
    // The SDK binds its fetch, body included, to the signal: an abort ends a body read at once.
    streamHonorsSignal: true,
    async doComplete(request) {
      const response = await client.responses.create(toOpenAIResponsesParams(modelId, request), { signal: request.signal });
      return fromOpenAIResponse(response);
    },
    doStream(request) {
      // Built before the stream opens: an unsupported setting fails with no request sent.
      const params = toOpenAIResponsesParams(modelId, request);
      return PartStream.defer(async () => {
        // As in `createOpenAIModel`: the SDK sends the request and maps a non-2xx status, Kit's
        // SSE decoder reads the body. Stopping early or failing cancels the body.
        const response = await client.responses.create({ ...params, stream: true }, { signal: request.signal }).asResponse();
        return openAIStreamParts<ResponseStreamEvent>(response, request.signal, openAIResponsesEventMapper());
      });
    },
  });
}
