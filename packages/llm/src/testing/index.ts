/**
 * Test and offline models: `@kit/llm/testing`.
 * @packageDocumentation
 */
export { scriptedModel, ScriptExhaustedError } from './scripted-model.js';
export type { ScriptedModel, ScriptedModelOptions, ScriptedReply, ScriptedTurn } from './scripted-model.js';
export { echoModel } from './echo-model.js';
export { deterministicEmbedding } from './deterministic-embedding.js';
export { seededRandom } from './seeded-random.js';
export { startReplayServer, sseChunks, ndjsonChunks } from './replay-server.js';
export type { ReplayServer, ReplayResponse, RecordedRequest } from './replay-server.js';
