/**
 * `@kit/llm/ollama`: Kit's language model over a local (or remote) Ollama server, through the
 * official `ollama` SDK, an optional peer dependency.
 * @packageDocumentation
 */
export { createOllamaModel, DEFAULT_OLLAMA_HOST, type OllamaModelOptions, type OllamaProviderOptions } from './ollama-model.js';
