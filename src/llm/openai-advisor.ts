// The model advisor: render → prompt → structured call → zod check → grounding verifier, inside
// the hook's time budget, which counts from the moment advise() is called (prompt building and
// the cache lookup spend it too). A call that misses the budget keeps running (up to 3 ×
// LLM_TIMEOUT_MS) and its verified result is cached, so the next identical request gets it at
// once. Retries (429/5xx) only while the budget allows; at most a few calls run at once, and a
// circuit breaker, which also counts budget misses, stops calling an endpoint that keeps failing.
import type { Config } from '../config.ts';
import { type AdviceCache, adviceCacheKey, adviceInputHash, MemoryAdviceCache } from './advice-cache.ts';
import { outcomeOf } from './advice-outcome.ts';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.ts';
import { createOpenAIChatModel, ModelCallError, type StructuredChatModel } from './openai-chat.ts';
import {
  loadPrompts,
  type PromptTemplate,
  type RenderedPrompt,
  renderPrompt,
  selectPrompt,
} from './prompts.ts';
import { type RenderedInput, renderAdviceInput } from './render.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelay } from './retry-policy.ts';
import { OUTPUT_SCHEMAS } from './schemas.ts';
import { countMessageTokens, countTokens, warmUp } from './tokens.ts';
import type { AdviceKind, AdviceRequest, AdviceResult, Advisor } from './types.ts';

/** A fallback is cached only briefly: the next view may well get a usable answer. */
const FALLBACK_CACHE_MS = 60_000;
/** Placeholder for keyless OpenAI-compatible servers (the client insists on some key). */
const NO_API_KEY = 'no-key-configured';

export interface OpenAIAdvisorOptions {
  /** Replace the HTTP adapter (another provider, or a test double). */
  chatModel?: StructuredChatModel;
  prompts?: PromptTemplate[];
  promptsDir?: string;
  /** Pin prompt versions per task, e.g. { triage: 'triage-rationale@1' }. */
  pinnedPrompts?: Partial<Record<AdviceKind, string>>;
  cache?: AdviceCache;
  breaker?: CircuitBreaker | CircuitBreakerOptions;
  retry?: Partial<RetryPolicy>;
  /** Hard limit for one attempt, background included (default 3 × LLM_TIMEOUT_MS). */
  attemptTimeoutMs?: number;
  /**
   * Most model calls running at once, background included (default 4). Beyond it a request gets
   * status 'timeout' without a call: a hung endpoint is not hammered by every chart opened.
   */
  maxConcurrentCalls?: number;
  /** Longest wait for the cache lookup (default 100 ms; a shared cache may hang). */
  cacheTimeoutMs?: number;
  /** Token budget for the whole prompt (system + user); default 2500. */
  maxPromptTokens?: number;
  now?: () => number;
}

export interface OpenAIAdvisor extends Advisor {
  readonly breaker: CircuitBreaker;
  readonly cache: AdviceCache;
  /** Resolves when every call still running in the background has finished (tests, shutdown). */
  settle(): Promise<void>;
}

interface Prepared {
  prompt: PromptTemplate;
  rendered: RenderedInput;
  messages: RenderedPrompt;
  key: string;
}

interface Job {
  promise: Promise<AdviceResult>;
  /** Whether a caller's budget miss was already counted against the endpoint. */
  softFailed: boolean;
}

/** The promise's value, or `fallback` once `ms` have passed. */
async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

export function createOpenAIAdvisor(config: Config, options: OpenAIAdvisorOptions = {}): OpenAIAdvisor {
  // An attempt may outlive the hook's wait (it finishes in the background and is cached), but not
  // by much: a hung endpoint must not hold a call slot for minutes.
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 3 * config.LLM_TIMEOUT_MS;
  const chat =
    options.chatModel ??
    createOpenAIChatModel({
      apiKey: config.OPENAI_API_KEY ?? NO_API_KEY,
      baseURL: config.OPENAI_BASE_URL,
      model: config.LLM_MODEL,
      temperature: config.LLM_TEMPERATURE,
      timeoutMs: attemptTimeoutMs,
    });
  // The tokeniser takes about a second to build: pay that now, not inside the first hook.
  warmUp();
  const prompts = options.prompts ?? loadPrompts(options.promptsDir);
  const promptFor = (kind: AdviceKind) => selectPrompt(prompts, kind, options.pinnedPrompts?.[kind]);
  const cache = options.cache ?? new MemoryAdviceCache();
  const breaker =
    options.breaker instanceof CircuitBreaker ? options.breaker : new CircuitBreaker(options.breaker ?? {});
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const now = options.now ?? Date.now;
  const maxPromptTokens = options.maxPromptTokens ?? 2500;
  const maxConcurrent = options.maxConcurrentCalls ?? 4;
  const cacheTimeoutMs = options.cacheTimeoutMs ?? 100;
  const inflight = new Map<string, Job>();
  // How long a caller waits: the hook's remaining budget, never more than LLM_TIMEOUT_MS.
  const waitBudget = (request: AdviceRequest) =>
    Math.max(0, Math.min(request.budgetMs, config.LLM_TIMEOUT_MS));
  const modelInfo = { provider: chat.provider, name: chat.model, temperature: chat.temperature };

  async function prepare(request: AdviceRequest): Promise<Prepared> {
    const prompt = promptFor(request.kind);
    const systemTokens = countTokens(prompt.system) + 40;
    const rendered = renderAdviceInput(request, { maxTokens: Math.max(400, maxPromptTokens - systemTokens) });
    const messages = await renderPrompt(prompt, { input: rendered.text });
    const inputHash = adviceInputHash(request);
    const key = adviceCacheKey({
      inputHash,
      promptId: prompt.id,
      promptVersion: prompt.version,
      model: chat.model,
      asOf: request.snapshot.at,
    });
    return { prompt, rendered, messages, key };
  }

  function base(request: AdviceRequest, p: Prepared | undefined, started: number) {
    return {
      kind: request.kind,
      model: modelInfo,
      ...(p && {
        prompt: { id: p.prompt.id, version: p.prompt.version, sha256: p.messages.sha256 },
        promptTokens: countMessageTokens(p.messages.messages),
      }),
      statements: [],
      dropped: [],
      durationMs: now() - started,
    };
  }

  /** One attempt, abandoned (and aborted) after attemptTimeoutMs whatever the adapter does. */
  async function attempt(p: Prepared): Promise<Awaited<ReturnType<StructuredChatModel['invoke']>>> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new ModelCallError('timeout', `model call abandoned after ${attemptTimeoutMs} ms`));
      }, attemptTimeoutMs);
    });
    try {
      return await Promise.race([
        chat.invoke({
          prompt: p.prompt,
          values: { input: p.rendered.text },
          schema: OUTPUT_SCHEMAS[p.prompt.output],
          signal: controller.signal,
          metadata: { promptSha256: p.messages.sha256 },
        }),
        cap,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function run(request: AdviceRequest, p: Prepared, started: number, job: Job): Promise<AdviceResult> {
    const deadline = started + waitBudget(request);
    // The endpoint failed: counted once per call (a budget miss may have counted it already).
    const failed = () => (job.softFailed ? breaker.release() : breaker.onFailure());
    for (let n = 1; ; n++) {
      try {
        const reply = await attempt(p);
        breaker.onSuccess();
        return outcomeOf(p.prompt, p.rendered, base(request, p, started), reply);
      } catch (e) {
        if (!(e instanceof ModelCallError)) {
          // A bug on our side says nothing about the endpoint.
          breaker.release();
          return {
            ...base(request, p, started),
            status: 'error',
            error: `internal error: ${e instanceof Error ? e.message : String(e)}`,
          };
        }
        const err = e;
        if (err.outputProblem) {
          breaker.onSuccess();
          return {
            ...base(request, p, started),
            status: 'fallback',
            rawOutput: err.details.rawOutput,
            error: err.message,
          };
        }
        if (err.kind === 'internal') {
          breaker.release();
          return { ...base(request, p, started), status: 'error', error: err.message };
        }
        const delay = err.retryable ? retryDelay(n, err.details.retryAfterMs, policy) : null;
        // Retry only if the wait and a short attempt still fit before the budget runs out.
        if (delay !== null && now() + delay + 50 < deadline) {
          await new Promise((r) => setTimeout(r, delay));
          continue;
        }
        failed();
        return {
          ...base(request, p, started),
          status: err.kind === 'timeout' ? 'timeout' : 'error',
          error: `${err.message}${n > 1 ? ` (after ${n} attempts)` : ''}`,
        };
      }
    }
  }

  function startJob(request: AdviceRequest, p: Prepared, started: number): Job {
    const job: Job = { promise: Promise.resolve(undefined as never), softFailed: false };
    job.promise = run(request, p, started, job)
      .catch(
        (e: unknown): AdviceResult => ({
          ...base(request, p, started),
          status: 'error',
          error: e instanceof Error ? e.message : String(e),
        }),
      )
      .then(async (result) => {
        // Only usable answers are worth replaying; a fallback briefly (the same input would fail
        // the same way), failures not at all.
        if (result.status === 'ok') await cache.set(p.key, result).catch(() => {});
        else if (result.status === 'fallback')
          await cache.set(p.key, result, FALLBACK_CACHE_MS).catch(() => {});
        return result;
      })
      .finally(() => inflight.delete(p.key));
    inflight.set(p.key, job);
    return job;
  }

  return {
    enabled: true,
    breaker,
    cache,
    describe(kind?: AdviceKind) {
      const list = kind ? [promptFor(kind)] : (['triage', 'summary'] as const).map(promptFor);
      return `${chat.model} · prompt${list.length > 1 ? 's' : ''} ${list.map((x) => `${x.id}@${x.version}`).join(', ')}`;
    },
    async settle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight.values()].map((j) => j.promise));
    },
    async advise(request) {
      const started = now();
      const budget = waitBudget(request);
      const left = () => Math.max(0, started + budget - now());
      let p: Prepared;
      try {
        p = await prepare(request);
      } catch (e) {
        return {
          ...base(request, undefined, started),
          status: 'error',
          error: `cannot build the prompt: ${String(e)}`,
        };
      }
      const hit = await within(
        cache.get(p.key).catch(() => undefined),
        Math.min(cacheTimeoutMs, left()),
        undefined,
      );
      if (hit) return { ...hit, cached: true, durationMs: now() - started };

      let job = inflight.get(p.key);
      if (!job) {
        if (inflight.size >= maxConcurrent) {
          return {
            ...base(request, p, started),
            status: 'timeout',
            error: `${inflight.size} model calls still running; not called`,
          };
        }
        if (!breaker.tryAcquire()) {
          return {
            ...base(request, p, started),
            status: 'circuit-open',
            error: 'model endpoint is failing; not called (circuit open)',
          };
        }
        job = startJob(request, p, started);
      }
      const winner = await within(job.promise, left(), 'timeout' as const);
      if (winner === 'timeout') {
        // A budget miss is a soft failure: an endpoint that hangs opens the circuit too.
        if (!job.softFailed) {
          job.softFailed = true;
          breaker.onSoftFailure();
        }
        return {
          ...base(request, p, started),
          status: 'timeout',
          error: `no answer within ${budget} ms; the call finishes in the background and is cached`,
        };
      }
      return { ...winner, durationMs: now() - started };
    },
  };
}
