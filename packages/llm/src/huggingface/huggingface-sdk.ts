import { importOptionalPeer } from '../errors/missing-peer-dependency-error.js';

/**
 * The `@huggingface/inference` SDK, an optional peer dependency, loaded when
 * `@kit/llm/huggingface` is imported (a top-level await): without it, that import fails with a
 * `MissingPeerDependencyError` that names the package to install, and `@kit/llm` itself never
 * loads it.
 */
export const huggingFaceSdk = await importOptionalPeer(() => import('@huggingface/inference'), {
  peer: '@huggingface/inference',
  neededBy: '@kit/llm/huggingface',
});
