import { importOptionalPeer } from '../errors/missing-peer-dependency-error.js';

/**
 * The `ollama` SDK, an optional peer dependency, loaded when `@kit/llm/ollama` is imported (a
 * top-level await): without it, that import fails with a `MissingPeerDependencyError` that names
 * the package to install, and `@kit/llm` itself never loads it.
 */
export const ollamaSdk = await importOptionalPeer(() => import('ollama'), { peer: 'ollama', neededBy: '@kit/llm/ollama' });
