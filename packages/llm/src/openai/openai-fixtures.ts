/** Which recorded `openai-*` payloads in ../shared the conformance test replays (all of them: Chat Completions and Responses). */
export const fixtureCoverage: Record<string, 'covered' | { skipped: string }> = {
  'openai-chat-text.json': 'covered',
  'openai-chat-tool-calls.json': 'covered',
  'openai-chat-error-400.json': 'covered',
  'openai-chat-stream-text.chunks.txt': 'covered',
  'openai-chat-stream-text-short.sse': 'covered',
  'openai-chat-stream-tool-calls.sse': 'covered',
  'openai-chat-stream-text-after-tool.sse': 'covered',
  'openai-chat-stream-parallel-tool-calls.sse': 'covered',
  'openai-responses-text.json': 'covered',
  'openai-responses-tool-call.json': 'covered',
  'openai-responses-stream-text.sse': 'covered',
  'openai-responses-stream-tool-call.sse': 'covered',
  'openai-responses-stream-reasoning-tool-call.chunks.txt': 'covered',
};
