/** Which recorded `openai-*` payloads in ../shared the conformance test replays, and why the rest do not apply. */
export const fixtureCoverage: Record<string, 'covered' | { skipped: string }> = {
  'openai-chat-text.json': 'covered',
  'openai-chat-tool-calls.json': 'covered',
  'openai-chat-error-400.json': 'covered',
  'openai-chat-stream-text.chunks.txt': 'covered',
  'openai-chat-stream-text-short.sse': 'covered',
  'openai-chat-stream-tool-calls.sse': 'covered',
  'openai-chat-stream-text-after-tool.sse': 'covered',
  'openai-chat-stream-parallel-tool-calls.sse': 'covered',
  'openai-responses-text.json': { skipped: 'Responses API: Kit has no Responses model class yet (the issue makes it optional); Chat Completions only' },
  'openai-responses-tool-call.json': { skipped: 'Responses API: no Responses model class yet' },
  'openai-responses-stream-text.sse': { skipped: 'Responses API: no Responses model class yet' },
  'openai-responses-stream-tool-call.sse': { skipped: 'Responses API: no Responses model class yet' },
  'openai-responses-stream-reasoning-tool-call.chunks.txt': { skipped: 'Responses API: no Responses model class yet' },
};
