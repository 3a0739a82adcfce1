/** Which recorded `ollama-*` payloads in ../shared the conformance test replays, and why the rest do not apply. */
export const fixtureCoverage: Record<string, 'covered' | { skipped: string }> = {
  'ollama-chat.json': 'covered',
  'ollama-chat-tool-calls.json': 'covered',
  'ollama-chat-stream.ndjson': 'covered',
  'ollama-chat-stream-tool-calls.ndjson': 'covered',
};
