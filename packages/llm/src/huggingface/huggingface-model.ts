import type { InferenceClient, InferenceProviderOrPolicy } from '@huggingface/inference';
import { linkedAbortController } from '../abort.js';
import { createLanguageModel, type PreparedRequest } from '../create-language-model.js';
import { ProviderError } from '../errors/provider-error.js';
import type { LanguageModel, ModelCapabilities } from '../language-model.js';
import type { EmbeddingRequest } from '../types/request.js';
import { toEmbeddingVectors, type HuggingFaceTokenPooling } from './huggingface-embeddings.js';
import { mapHuggingFaceError } from './huggingface-errors.js';
import { fromHuggingFaceCompletion, type HuggingFaceWireChunk, type HuggingFaceWireCompletion } from './huggingface-response.js';
import { huggingFaceSdk } from './huggingface-sdk.js';
import { HUGGINGFACE_PROVIDER, passThroughOptions, toHuggingFaceChatParams, type HuggingFaceStructuredOutputFormat } from './huggingface-request.js';
import { fromHuggingFaceChunks } from './huggingface-stream.js';
import { headerRecordingFetch } from './response-headers.js';

type ChatArgs = Parameters<InferenceClient['chatCompletion']>[0];
type EmbedArgs = Parameters<InferenceClient['featureExtraction']>[0];

/** Options of {@link createHuggingFaceModel}: credentials, where requests go, and how outputs are shaped. */
export interface HuggingFaceModelOptions {
  /** A Hugging Face access token (`hf_...`) or a provider's own key. Default: `HF_TOKEN`. */
  apiKey?: string | undefined;
  /**
   * Call this URL instead of the Hugging Face router: an Inference Endpoint or a self-hosted TGI
   * (chat goes to `<endpointUrl>/v1/chat/completions`) or TEI (embeddings go to `<endpointUrl>`
   * itself). With an endpoint the key is optional, since self-hosted servers often have none.
   */
  endpointUrl?: string | undefined;
  /**
   * The inference provider behind the router (`'together'`, `'hf-inference'`, ...). Default:
   * `'auto'` for chat (the router picks, in the order set at hf.co/settings/inference-providers;
   * it needs an `hf_` token) and `'hf-inference'` for embeddings (where sentence-transformers
   * models run, without the extra model lookup `'auto'` makes). Not allowed with `endpointUrl`.
   */
  provider?: InferenceProviderOrPolicy | undefined;
  /** A fetch to use instead of the global one (proxies, tests). */
  fetch?: typeof fetch | undefined;
  /** Bill an organization instead of the token's user (`X-HF-Bill-To`). */
  billTo?: string | undefined;
  /** How a JSON schema is sent: OpenAI's `json_schema` (default) or TGI's `json` grammar. */
  structuredOutputFormat?: HuggingFaceStructuredOutputFormat | undefined;
  /** Token-level embedding output: rejected (default) or mean-pooled. */
  tokenPooling?: HuggingFaceTokenPooling | undefined;
  /** Inputs per embedding call. Default 32, TEI's default `max_client_batch_size`. */
  maxEmbeddingsPerCall?: number | undefined;
  /**
   * What the model can do beyond text and tools, which only the model knows: set `images` for a
   * vision model, `reasoning` for one that thinks (its `reasoning_content` is read either way).
   */
  capabilities?: Partial<ModelCapabilities> | undefined;
}

/** The key from the options or `HF_TOKEN`; required unless an endpoint of one's own is called. */
function apiKeyFrom(options: HuggingFaceModelOptions): string {
  const key = options.apiKey ?? process.env.HF_TOKEN;
  if (key !== undefined && key !== '') return key;
  if (options.endpointUrl !== undefined) return '';
  throw new ProviderError({
    kind: 'auth',
    message: 'huggingface: no access token: set the HF_TOKEN environment variable or pass `apiKey`',
    provider: HUGGINGFACE_PROVIDER,
  });
}

/**
 * A Hugging Face model through the official `@huggingface/inference` SDK: chat completion and
 * streaming (OpenAI-compatible, served by TGI or the router's providers), tools, structured
 * output by `response_format`, and embeddings by feature extraction. Token counts are the core's
 * estimate (`exact: false`): the tokenizer depends on the model.
 *
 * ```ts
 * const model = createHuggingFaceModel('meta-llama/Llama-3.1-8B-Instruct'); // HF_TOKEN from the environment
 * const local = createHuggingFaceModel('tgi', { endpointUrl: 'http://localhost:8080' });
 * ```
 */
export function createHuggingFaceModel(modelId: string, options: HuggingFaceModelOptions = {}): LanguageModel {
  if (options.endpointUrl !== undefined && options.provider !== undefined) {
    throw new ProviderError({
      kind: 'invalid-request',
      message: 'huggingface: pass `endpointUrl` or `provider`, not both: an endpoint is called directly',
      provider: HUGGINGFACE_PROVIDER,
    });
  }
  const accessToken = apiKeyFrom(options);
  // The SDK retries a 503 forever by default; Kit's `retry` middleware retries instead.
  const client = new huggingFaceSdk.InferenceClient(accessToken, {
    retry_on_error: false,
    ...(options.endpointUrl === undefined ? {} : { endpointUrl: options.endpointUrl }),
    ...(options.billTo === undefined ? {} : { billTo: options.billTo }),
  });
  const routing = (fallback: InferenceProviderOrPolicy) =>
    options.endpointUrl === undefined ? { provider: options.provider ?? fallback } : {};
  const structuredOutputFormat = options.structuredOutputFormat ?? 'openai';

  function chatArgs(request: PreparedRequest): ChatArgs {
    return { ...toHuggingFaceChatParams(request, structuredOutputFormat), model: modelId, ...routing('auto') } as ChatArgs;
  }

  return createLanguageModel({
    provider: HUGGINGFACE_PROVIDER,
    modelId,
    capabilities: { structuredOutput: 'native', embeddings: true, images: false, reasoning: false, ...options.capabilities },
    mapError: (error, signal) => mapHuggingFaceError(error, signal),
    async doComplete(request) {
      const http = headerRecordingFetch(options.fetch);
      try {
        const completion = await client.chatCompletion(chatArgs(request), { signal: request.signal, fetch: http.fetch });
        return fromHuggingFaceCompletion(completion as HuggingFaceWireCompletion);
      } catch (error) {
        throw mapHuggingFaceError(error, request.signal, http.failedHeaders());
      }
    },
    async *doStream(request) {
      const http = headerRecordingFetch(options.fetch);
      // Our own controller: closing the stream early (or an error) must close the HTTP request,
      // and the SDK's generator only releases its reader.
      const { controller, dispose } = linkedAbortController(request.signal);
      const chunks = client.chatCompletionStream(
        // Usage comes in a last chunk only when asked for; `providerOptions` may override this.
        { stream_options: { include_usage: true }, ...chatArgs(request) } as ChatArgs,
        { signal: controller.signal, fetch: http.fetch },
      );
      try {
        yield* fromHuggingFaceChunks(chunks as AsyncIterable<HuggingFaceWireChunk>);
      } catch (error) {
        throw mapHuggingFaceError(error, request.signal, http.failedHeaders());
      } finally {
        dispose();
        controller.abort();
        chunks.return(undefined).catch(() => undefined);
      }
    },
    maxEmbeddingsPerCall: options.maxEmbeddingsPerCall ?? 32,
    async doEmbed(values, request: EmbeddingRequest) {
      const http = headerRecordingFetch(options.fetch);
      const args = {
        inputs: values,
        ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
        ...passThroughOptions(request.providerOptions),
        model: modelId,
        ...routing('hf-inference'),
      } as EmbedArgs;
      try {
        const output = await client.featureExtraction(args, { signal: request.signal, fetch: http.fetch });
        return { embeddings: toEmbeddingVectors(output, values.length, options.tokenPooling ?? 'reject') };
      } catch (error) {
        throw mapHuggingFaceError(error, request.signal, http.failedHeaders());
      }
    },
  });
}
