import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One chat-completions request as the server saw it. */
export interface SeenRequest {
  body: {
    model: string;
    messages: Array<{ role: string; content: unknown }>;
    stream?: boolean;
    stream_options?: { include_usage?: boolean };
    response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
  };
  authorization: string | undefined;
  /** `opening` (a plain completion), `analysis` (JSON asked for), `reply` (streamed). */
  kind: 'opening' | 'analysis' | 'reply';
  /** The last user message. */
  userText: string;
}

/** An HTTP error as OpenAI sends one: the status and `{ error: { message } }`. */
export interface ScriptedFailure {
  status: number;
  message: string;
}

/** What the server answers: text (streamed in `pieces` for a stream), JSON text for analysis. */
export interface ScriptedAnswer {
  /** The whole text, or the streamed pieces in order. */
  text: string | string[];
  /**
   * For streams: called after the first piece is sent, before the rest; the rest waits for it
   * (the test checks the first piece is on the child's stdout before the reply is finished).
   * Never resolving holds the stream open.
   */
  afterFirstPiece?: () => Promise<void>;
}

/**
 * A local OpenAI-compatible Chat Completions server on 127.0.0.1 and a random port, answering
 * from a script. Streams are SSE chunks as OpenAI sends them: `delta.content` pieces, a last
 * choice with `finish_reason`, then (with `stream_options.include_usage`) a usage chunk with
 * no choices, then `[DONE]`.
 */
export class FakeOpenAIServer {
  readonly requests: SeenRequest[] = [];
  readonly #server: Server;
  readonly #answer: (request: SeenRequest) => ScriptedAnswer | ScriptedFailure;
  readonly #open = new Set<ServerResponse>();

  private constructor(answer: (request: SeenRequest) => ScriptedAnswer | ScriptedFailure) {
    this.#answer = answer;
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  static async start(answer: (request: SeenRequest) => ScriptedAnswer | ScriptedFailure): Promise<FakeOpenAIServer> {
    const server = new FakeOpenAIServer(answer);
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  /** The base URL to give as `OPENAI_BASE_URL`. */
  get baseUrl(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  async close(): Promise<void> {
    for (const res of this.#open) res.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const body = JSON.parse(raw) as SeenRequest['body'];
    const kind = body.stream === true ? 'reply' : body.response_format !== undefined ? 'analysis' : 'opening';
    const lastUser = [...body.messages].reverse().find((m) => m.role === 'user');
    const request: SeenRequest = { body, authorization: req.headers.authorization, kind, userText: typeof lastUser?.content === 'string' ? lastUser.content : '' };
    this.requests.push(request);
    const answer = this.#answer(request);
    if ('status' in answer) {
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: answer.message, type: 'invalid_request_error' } }));
      return;
    }
    const pieces = typeof answer.text === 'string' ? [answer.text] : answer.text;
    const usage = { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 };
    const base = { id: `chatcmpl-${this.requests.length}`, created: 1_700_000_000, model: body.model };
    if (kind !== 'reply') {
      const completion = { ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: pieces.join('') }, finish_reason: 'stop' }], usage };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion));
      return;
    }
    this.#open.add(res);
    res.on('close', () => this.#open.delete(res));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (chunk: unknown): void => void res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    const delta = (content: string, first: boolean) => ({
      ...base,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta: first ? { role: 'assistant', content } : { content }, finish_reason: null }],
    });
    if (pieces[0] !== undefined) send(delta(pieces[0], true));
    if (answer.afterFirstPiece !== undefined) await answer.afterFirstPiece();
    if (res.destroyed) return;
    pieces.slice(1).forEach((piece) => send(delta(piece, false)));
    send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    if (body.stream_options?.include_usage === true) send({ ...base, object: 'chat.completion.chunk', choices: [], usage });
    res.end('data: [DONE]\n\n');
  }
}

/** The JSON text of a reply in the FSM single-pass format. */
export function fsmReply(targetState: string | null, contextUpdate: Record<string, unknown>, message: string, reasoning = 'scripted'): string {
  return JSON.stringify({ transition: { target_state: targetState, context_update: contextUpdate }, message, reasoning });
}
