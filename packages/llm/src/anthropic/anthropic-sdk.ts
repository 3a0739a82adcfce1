import { importOptionalPeer } from '../errors/missing-peer-dependency-error.js';

/**
 * The `@anthropic-ai/sdk` SDK, an optional peer dependency, loaded when `@kit/llm/anthropic` is
 * imported (a top-level await): without it, that import fails with a `MissingPeerDependencyError`
 * that names the package to install, and `@kit/llm` itself never loads it.
 */
export const anthropicSdk = await importOptionalPeer(() => import('@anthropic-ai/sdk'), {
  peer: '@anthropic-ai/sdk',
  neededBy: '@kit/llm/anthropic',
});
