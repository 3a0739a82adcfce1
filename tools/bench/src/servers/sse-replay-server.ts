import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A child process that answers every POST with the same Chat Completions SSE body: `chunks`
 * text deltas, a finish chunk, a usage chunk and `[DONE]`. It runs in its own process so the
 * benchmark process measures only client work (the SDK, Kit), not the server's writes.
 * Started by `startSseServer`; prints its port on stdout.
 */
function body(chunks: number): Buffer {
  const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini-2024-07-18' };
  const lines: string[] = [];
  lines.push(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })}\n\n`);
  for (let i = 0; i < chunks; i++) {
    lines.push(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: ` word${i % 97}` }, finish_reason: null }] })}\n\n`);
  }
  lines.push(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
  lines.push(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 10, completion_tokens: chunks, total_tokens: chunks + 10 } })}\n\n`);
  lines.push('data: [DONE]\n\n');
  return Buffer.from(lines.join(''));
}

if (process.argv[2] === '--serve') {
  const payload = body(Number(process.argv[3] ?? 10_000));
  // Written in 16 kB pieces, as a socket would deliver them.
  const PIECE = 16 * 1024;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < payload.length; i += PIECE) res.write(payload.subarray(i, i + PIECE));
      res.end();
    });
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
  });
}
