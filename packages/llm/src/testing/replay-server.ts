import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One reply the server gives: a status, headers, and a body sent whole or in chunks. */
export interface ReplayResponse {
  /** The HTTP status. Default 200. */
  status?: number;
  /** Extra response headers; they override the default `content-type`. */
  headers?: Record<string, string>;
  /** A JSON value (sent as `application/json`) or raw text. */
  body?: unknown;
  /** Raw pieces written one by one (an SSE or NDJSON stream); wins over `body`. */
  chunks?: readonly string[];
  /** Pause between chunks, in ms. */
  chunkDelayMs?: number;
  /** Leave the response open after the last chunk (a stream that stalls), until the client goes. */
  hang?: boolean;
  /** Destroy the socket after the chunks, without ending the response (a truncated stream). */
  destroyAfterChunks?: boolean;
}

/** A request the server received. */
export interface RecordedRequest {
  /** The HTTP method, e.g. `POST`. */
  method: string;
  /** The request path with its query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** The request headers, names lower-cased (as Node gives them). */
  headers: IncomingMessage['headers'];
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  body: unknown;
}

/** The running server of {@link startReplayServer}: its URL, what it received, and how to queue replies. */
export interface ReplayServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every request received so far, in order of arrival. */
  readonly requests: RecordedRequest[];
  /** Requests whose connection the client closed before the response ended. */
  readonly closedEarly: number;
  /** Queues replies, answered in order; `handler` replies are computed per request. */
  reply(...responses: Array<ReplayResponse | ((request: RecordedRequest) => ReplayResponse)>): void;
  /** Resolves once `count` connections were closed early by the client. */
  waitForClose(count?: number, timeoutMs?: number): Promise<void>;
  /** Stops the server and closes its connections. */
  close(): Promise<void>;
}

/**
 * A local HTTP server on 127.0.0.1 and a random port that answers with queued replies: the real
 * provider SDKs are pointed at it through their base-URL options, so adapters are tested through
 * the SDK's own HTTP, SSE and error handling. An unexpected request gets a 599 naming it.
 */
export async function startReplayServer(): Promise<ReplayServer> {
  const queue: Array<ReplayResponse | ((request: RecordedRequest) => ReplayResponse)> = [];
  const requests: RecordedRequest[] = [];
  let closedEarly = 0;
  const closeWaiters: Array<() => void> = [];
  const sockets = new Set<import('node:net').Socket>();

  const noteClose = () => {
    closedEarly++;
    for (const wake of closeWaiters.splice(0)) wake();
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
    requests.push(recorded);
    const next = queue.shift();
    if (next === undefined) {
      res.writeHead(599, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `replay server: no reply queued for ${recorded.method} ${recorded.path}` }));
      return;
    }
    const reply = typeof next === 'function' ? next(recorded) : next;
    let finished = false;
    res.on('close', () => {
      if (!finished) noteClose();
    });
    if (reply.chunks !== undefined) {
      res.writeHead(reply.status ?? 200, { 'content-type': 'text/event-stream', ...reply.headers });
      res.flushHeaders();
      for (const chunk of reply.chunks) {
        if (res.destroyed) return;
        res.write(chunk);
        if (reply.chunkDelayMs) await new Promise((r) => setTimeout(r, reply.chunkDelayMs));
      }
      if (reply.destroyAfterChunks) {
        finished = true;
        res.socket?.destroy();
        return;
      }
      if (reply.hang) return; // closed by the client, counted in closedEarly
      finished = true;
      res.end();
      return;
    }
    const isText = typeof reply.body === 'string';
    res.writeHead(reply.status ?? 200, { 'content-type': isText ? 'text/plain' : 'application/json', ...reply.headers });
    finished = true;
    res.end(reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get closedEarly() {
      return closedEarly;
    },
    reply(...responses) {
      queue.push(...responses);
    },
    waitForClose(count = 1, timeoutMs = 2_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`replay server: ${closedEarly} of ${count} connections closed early`)), timeoutMs);
        const check = () => {
          if (closedEarly >= count) {
            clearTimeout(timer);
            resolve();
          } else closeWaiters.push(check);
        };
        check();
      });
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An SSE body from `data:` payloads (objects are JSON-encoded), ending with `data: [DONE]` unless told not to. */
export function sseChunks(payloads: readonly unknown[], options: { done?: boolean; event?: (payload: unknown) => string | undefined } = {}): string[] {
  const out = payloads.map((p) => {
    const data = typeof p === 'string' ? p : JSON.stringify(p);
    const event = options.event?.(p);
    return `${event === undefined ? '' : `event: ${event}\n`}data: ${data}\n\n`;
  });
  if (options.done ?? true) out.push('data: [DONE]\n\n');
  return out;
}

/** An NDJSON body (Ollama's streams): one JSON object per line. */
export function ndjsonChunks(objects: readonly unknown[]): string[] {
  return objects.map((o) => `${JSON.stringify(o)}\n`);
}
