/** Which recorded `anthropic-*` payloads in ../shared the conformance test replays (all of them). */
export const fixtureCoverage: Record<string, 'covered' | { skipped: string }> = {
  'anthropic-messages-text.json': 'covered',
  'anthropic-messages-tool-use.json': 'covered',
  'anthropic-messages-thinking.json': 'covered',
  'anthropic-error-400.json': 'covered',
  'anthropic-messages-stream-text.chunks.txt': 'covered',
  'anthropic-messages-stream-tool-use.sse': 'covered',
  'anthropic-messages-stream-tool-use-no-args.chunks.txt': 'covered',
  'anthropic-messages-stream-thinking.sse': 'covered',
};
