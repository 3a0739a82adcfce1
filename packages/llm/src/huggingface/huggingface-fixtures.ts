/** Which recorded `hf-*` payloads in ../shared the conformance test replays, and why the rest do not apply. */
export const fixtureCoverage: Record<string, 'covered' | { skipped: string }> = {
  'hf-chat-completion.json': 'covered',
  'hf-chat-stream.sse': 'covered',
  'hf-chat-error-422.json': 'covered',
};
