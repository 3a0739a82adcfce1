import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface SseServer {
  url: string;
  stop(): void;
}

/** Starts `sse-replay-server.js --serve <chunks>` in a child process and waits for its port. */
export function startSseServer(chunks: number): Promise<SseServer> {
  const script = fileURLToPath(new URL('./sse-replay-server.js', import.meta.url));
  const child = spawn(process.execPath, [script, '--serve', String(chunks)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the SSE server exited early (${code})`)));
    child.stdout.once('data', (data: Buffer) => {
      resolve({ url: `http://127.0.0.1:${String(data).trim()}`, stop: () => child.kill() });
    });
  });
}
