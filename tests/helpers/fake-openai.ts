// An OpenAI-compatible chat completions server for tests: the real `openai` client (through
// LangChain) talks HTTP to it on 127.0.0.1, so the wire format is exercised end to end.
// Answers come from a scripted queue; every request body is recorded for assertions.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  body: unknown;
}

export interface ScriptedAnswer {
  /** HTTP status (default 200). */
  status?: number;
  headers?: Record<string, string>;
  /** Wait this long before answering (simulates a slow model). */
  delayMs?: number;
  /** Assistant message content (placed in a chat completion). */
  content?: string;
  /** Assistant refusal text (content becomes null). */
  refusal?: string;
  /** A whole response body (object → JSON, string → sent as is); overrides content/refusal. */
  body?: unknown;
  usage?: { prompt_tokens: number; completion_tokens: number };
  finishReason?: string;
}

export type Script = ScriptedAnswer | ((request: RecordedRequest) => ScriptedAnswer);

export interface FakeOpenAI {
  baseURL: string;
  requests: RecordedRequest[];
  /** Queue answers, used in order; when the queue is empty the server answers 500. */
  enqueue(...answers: Script[]): void;
  /** Answers still queued. */
  pending(): number;
  close(): Promise<void>;
}

export function chatCompletion(answer: ScriptedAnswer, model: string): unknown {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: answer.refusal ? null : (answer.content ?? ''),
          refusal: answer.refusal ?? null,
        },
        finish_reason: answer.finishReason ?? 'stop',
        logprobs: null,
      },
    ],
    usage: {
      prompt_tokens: answer.usage?.prompt_tokens ?? 900,
      completion_tokens: answer.usage?.completion_tokens ?? 120,
      total_tokens: (answer.usage?.prompt_tokens ?? 900) + (answer.usage?.completion_tokens ?? 120),
    },
  };
}

/** Content as the model would send it for a json_schema response_format. */
export function jsonAnswer(value: unknown, extra: Omit<ScriptedAnswer, 'content'> = {}): ScriptedAnswer {
  return { ...extra, content: JSON.stringify(value) };
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const queue: Script[] = [];
  const requests: RecordedRequest[] = [];
  const open = new Set<ServerResponse>();

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: unknown = null;
    try {
      body = rawBody ? JSON.parse(rawBody) : null;
    } catch {
      body = rawBody;
    }
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      rawBody,
      body,
    };
    requests.push(recorded);

    const script = queue.shift();
    const answer: ScriptedAnswer =
      script === undefined
        ? { status: 500, body: { error: { message: 'no scripted answer', type: 'server_error' } } }
        : typeof script === 'function'
          ? script(recorded)
          : script;
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    if (res.destroyed) return;
    const model =
      typeof body === 'object' && body !== null && 'model' in body ? String(body.model) : 'fake-model';
    const payload =
      answer.body !== undefined
        ? typeof answer.body === 'string'
          ? answer.body
          : JSON.stringify(answer.body)
        : JSON.stringify(chatCompletion(answer, model));
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
    res.end(payload);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...answers) => {
      queue.push(...answers);
    },
    pending: () => queue.length,
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
