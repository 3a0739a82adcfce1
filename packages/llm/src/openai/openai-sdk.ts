import { importOptionalPeer } from '../errors/missing-peer-dependency-error.js';

/**
 * The `openai` SDK, an optional peer dependency, loaded when `@kit/llm/openai` is imported (a
 * top-level await): without it, that import fails with a `MissingPeerDependencyError` that names
 * the package to install, and `@kit/llm` itself never loads it.
 */
export const openaiSdk = await importOptionalPeer(() => import('openai'), { peer: 'openai', neededBy: '@kit/llm/openai' });
