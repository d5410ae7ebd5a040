// The one adapter that knows the provider's wire format. LangChain's ChatOpenAI with
// withStructuredOutput(zod) sends, for current models, `response_format: { type: "json_schema",
// json_schema: { name, strict: true, schema } }` to /chat/completions and reads the JSON from
// choices[0].message.content (a refusal arrives in message.refusal with content null). Works with
// OpenAI, Azure OpenAI's v1 endpoint and OpenAI-compatible servers (vLLM, Ollama, llama.cpp).
// Callers get a provider-neutral reply or a typed ModelCallError (chat-model.ts), never a provider
// payload. Budget, retries, cache and breaker are not its business (resilient-advisor.ts).
import { AsyncLocalStorage } from 'node:async_hooks';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';
import { ModelCallError, type StructuredChatModel } from './chat-model.ts';
import { chatTemplate } from './prompts.ts';

export interface ChatModelSettings {
  apiKey: string;
  /** Any OpenAI-compatible base URL (…/v1); default OpenAI's own. */
  baseURL?: string;
  model: string;
  temperature: number;
  /** Hard limit for one HTTP attempt. */
  timeoutMs: number;
}

const rawCompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z
          .object({ content: z.string().nullish(), refusal: z.string().nullish() })
          .partial()
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
});

const usageSchema = z.object({ input_tokens: z.number(), output_tokens: z.number() });

// LangChain turns on LangSmith tracing by itself when LANGSMITH_TRACING / LANGCHAIN_TRACING_V2
// are set, and a tracer would send every prompt (patient data) and output to a tracing service.
// Every call runs inside a context whose run tree has tracing disabled, which LangChain honours
// over the environment, and with no callbacks of its own.
AsyncLocalStorageProviderSingleton.initializeGlobalInstance(new AsyncLocalStorage());

function withoutTracing<T>(fn: () => Promise<T>): Promise<T> {
  return AsyncLocalStorageProviderSingleton.runWithConfig({ callbacks: [] }, fn);
}

export function providerFor(baseURL: string | undefined): string {
  if (!baseURL) return 'openai';
  const host = new URL(baseURL).hostname;
  if (host.endsWith('.openai.azure.com') || host.endsWith('.cognitiveservices.azure.com'))
    return 'azure-openai';
  if (host === 'api.openai.com') return 'openai';
  return 'openai-compatible';
}

export function createOpenAIChatModel(settings: ChatModelSettings): StructuredChatModel {
  const provider = providerFor(settings.baseURL);
  return {
    provider,
    model: settings.model,
    temperature: settings.temperature,
    async invoke(call) {
      // The last response body, kept so an unusable answer can still be recorded and a refusal
      // (which the structured parser turns into null) can be recognised.
      let lastBody: string | undefined;
      const recordingFetch = async (url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
        const res = await fetch(url, init);
        if (!res.ok) return res;
        lastBody = await res.text();
        return new Response(lastBody, {
          status: res.status,
          statusText: res.statusText,
          headers: res.headers,
        });
      };
      const model = new ChatOpenAI({
        model: settings.model,
        apiKey: settings.apiKey,
        temperature: settings.temperature,
        timeout: settings.timeoutMs,
        // Retries are ours (inside the hook's budget), never the SDK's.
        maxRetries: 0,
        configuration: {
          baseURL: settings.baseURL,
          fetch: recordingFetch,
          // Azure's v1 endpoint (…/openai/v1/, model = deployment name) takes the key as the client
          // sends it; api-key is added for the gateways in front of Azure that only read that header.
          ...(provider === 'azure-openai' ? { defaultHeaders: { 'api-key': settings.apiKey } } : {}),
        },
      });
      const chain = chatTemplate(call.prompt).pipe(
        model.withStructuredOutput(call.schema, {
          name: call.prompt.output.replace(/-/g, '_'),
          includeRaw: true,
        }),
      );
      let out: unknown;
      try {
        out = await withoutTracing(() =>
          chain.invoke(call.values, {
            callbacks: [],
            signal: call.signal,
            runName: `${call.prompt.id}@${call.prompt.version}`,
            metadata: { promptId: call.prompt.id, promptVersion: call.prompt.version, ...call.metadata },
          }),
        );
      } catch (e) {
        throw toModelCallError(e, lastBody);
      }
      const o = z.object({ parsed: z.unknown(), raw: z.unknown() }).safeParse(out);
      const rawMessage = o.success ? o.data.raw : undefined;
      const usageIn =
        rawMessage && typeof rawMessage === 'object' && 'usage_metadata' in rawMessage
          ? usageSchema.safeParse(rawMessage.usage_metadata)
          : undefined;
      const usage = usageIn?.success
        ? { promptTokens: usageIn.data.input_tokens, completionTokens: usageIn.data.output_tokens }
        : undefined;
      const parsed = o.success ? o.data.parsed : undefined;
      if (parsed === null || parsed === undefined) {
        const refusal = refusalIn(lastBody);
        if (refusal !== undefined) {
          throw new ModelCallError('refusal', `the model refused: ${refusal.slice(0, 200)}`, {
            rawOutput: lastBody,
          });
        }
        throw new ModelCallError('malformed', 'the model returned no parsable output', {
          rawOutput: lastBody,
        });
      }
      return { parsed, rawOutput: contentIn(lastBody), usage };
    },
  };
}

function firstChoice(body: string | undefined) {
  if (!body) return undefined;
  try {
    const r = rawCompletionSchema.safeParse(JSON.parse(body));
    return r.success ? r.data.choices[0] : undefined;
  } catch {
    return undefined;
  }
}

function refusalIn(body: string | undefined): string | undefined {
  const refusal = firstChoice(body)?.message?.refusal;
  return refusal ? refusal : undefined;
}

function contentIn(body: string | undefined): string | undefined {
  return firstChoice(body)?.message?.content ?? undefined;
}

/** Maps whatever the SDK or LangChain threw to a typed error (exported for tests). */
export function toModelCallError(e: unknown, lastBody?: string): ModelCallError {
  if (e instanceof ModelCallError) return e;
  const err = (e && typeof e === 'object' ? e : {}) as {
    name?: unknown;
    message?: unknown;
    status?: unknown;
    headers?: unknown;
    constructor?: { name?: string };
  };
  const name = `${String(err.name ?? '')} ${err.constructor?.name ?? ''}`;
  const message = typeof err.message === 'string' ? err.message.split('\n')[0]!.slice(0, 300) : String(e);
  const status = typeof err.status === 'number' ? err.status : undefined;
  const rawOutput = contentIn(lastBody) ?? lastBody;
  if (e instanceof SyntaxError)
    return new ModelCallError('malformed', `output is not valid JSON: ${message}`, { rawOutput });
  if (/ZodError/.test(name))
    return new ModelCallError('schema', 'output does not match the schema', { rawOutput });
  if (/LengthFinishReasonError/.test(name))
    return new ModelCallError('truncated', 'output was cut off', { rawOutput });
  if (/ContentFilterFinishReasonError/.test(name)) {
    return new ModelCallError('refusal', 'output was stopped by the content filter', { rawOutput });
  }
  if (/OutputParserException/.test(name)) return new ModelCallError('malformed', message, { rawOutput });
  if (status === 429) {
    return new ModelCallError('rate-limit', 'rate limited by the model endpoint', {
      status,
      retryAfterMs: retryAfterMs(err.headers),
    });
  }
  if (status !== undefined && (status >= 500 || status === 408 || status === 409)) {
    return new ModelCallError('server', `model endpoint answered ${status}`, {
      status,
      retryAfterMs: retryAfterMs(err.headers),
    });
  }
  if (status !== undefined)
    return new ModelCallError('client', `model endpoint answered ${status}: ${message}`, { status });
  if (/Timeout/i.test(name)) return new ModelCallError('timeout', 'model request timed out');
  if (/Abort/i.test(name)) return new ModelCallError('aborted', 'model request was aborted');
  // undici reports connection failures as `TypeError: fetch failed` (cause: ECONNREFUSED, …); any
  // other TypeError is a bug of ours and must not be retried or blamed on the endpoint.
  const networkMessage =
    /fetch failed|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|socket hang up|other side closed/i;
  if (/APIConnectionError|FetchError/.test(name) || networkMessage.test(message)) {
    return new ModelCallError('network', `cannot reach the model endpoint: ${message}`);
  }
  if (e instanceof TypeError || e instanceof ReferenceError || e instanceof RangeError) {
    return new ModelCallError('internal', `internal error while calling the model: ${message}`);
  }
  return new ModelCallError('client', message);
}

/** Retry-After in ms (OpenAI also sends retry-after-ms); undefined when absent or unreadable. */
export function retryAfterMs(headers: unknown): number | undefined {
  const get = (h: string): string | null | undefined =>
    headers && typeof headers === 'object' && 'get' in headers && typeof headers.get === 'function'
      ? (headers.get(h) as string | null)
      : undefined;
  const ms = get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.round(Number(ms));
  const ra = get('retry-after');
  if (!ra) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra)) return Math.round(Number(ra) * 1000);
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
