// The model advisor: render → prompt → structured call → zod check → grounding verifier, inside
// the hook's time budget. A call that misses the budget keeps running and its verified result is
// cached, so the next identical request gets it at once. Retries (429/5xx) only while the budget
// allows; a circuit breaker stops calling an endpoint that keeps failing.
import type { Config } from '../config.ts';
import { type AdviceCache, adviceCacheKey, adviceInputHash, MemoryAdviceCache } from './advice-cache.ts';
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
import { OUTPUT_SCHEMAS, summaryDraftSchema, triageDraftSchema } from './schemas.ts';
import { countMessageTokens, countTokens } from './tokens.ts';
import type { AdviceKind, AdviceRequest, AdviceResult, Advisor } from './types.ts';
import {
  combineTriage,
  countDropped,
  type VerifyContext,
  verifySummaryDraft,
  verifyTriageDraft,
} from './verify.ts';

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
  /** Hard limit for one HTTP attempt, background included (default 60 s or LLM_TIMEOUT_MS if longer). */
  attemptTimeoutMs?: number;
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

export function createOpenAIAdvisor(config: Config, options: OpenAIAdvisorOptions = {}): OpenAIAdvisor {
  const chat =
    options.chatModel ??
    createOpenAIChatModel({
      apiKey: config.OPENAI_API_KEY ?? '',
      baseURL: config.OPENAI_BASE_URL,
      model: config.LLM_MODEL,
      temperature: config.LLM_TEMPERATURE,
      // An attempt may outlive the hook's wait: it finishes in the background and is cached.
      timeoutMs: options.attemptTimeoutMs ?? Math.max(60_000, config.LLM_TIMEOUT_MS),
    });
  const prompts = options.prompts ?? loadPrompts(options.promptsDir);
  const promptFor = (kind: AdviceKind) => selectPrompt(prompts, kind, options.pinnedPrompts?.[kind]);
  const cache = options.cache ?? new MemoryAdviceCache();
  const breaker =
    options.breaker instanceof CircuitBreaker ? options.breaker : new CircuitBreaker(options.breaker ?? {});
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const now = options.now ?? Date.now;
  const maxPromptTokens = options.maxPromptTokens ?? 2500;
  const inflight = new Map<string, Promise<AdviceResult>>();
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

  async function run(request: AdviceRequest, p: Prepared, started: number): Promise<AdviceResult> {
    const deadline = started + waitBudget(request);
    const schema = OUTPUT_SCHEMAS[p.prompt.output];
    for (let attempt = 1; ; attempt++) {
      try {
        const reply = await chat.invoke({
          prompt: p.prompt,
          values: { input: p.rendered.text },
          schema,
          metadata: { promptSha256: p.messages.sha256 },
        });
        breaker.onSuccess();
        return finish(request, p, started, reply);
      } catch (e) {
        const err = e instanceof ModelCallError ? e : new ModelCallError('client', String(e));
        if (err.outputProblem) {
          breaker.onSuccess();
          return {
            ...base(request, p, started),
            status: 'fallback',
            rawOutput: err.details.rawOutput,
            error: err.message,
          };
        }
        const delay = err.retryable ? retryDelay(attempt, err.details.retryAfterMs, policy) : null;
        // Retry only if the wait and a short attempt still fit before the budget runs out.
        if (delay !== null && now() + delay + 50 < deadline) {
          await new Promise((r) => setTimeout(r, delay));
          continue;
        }
        breaker.onFailure();
        return {
          ...base(request, p, started),
          status: err.kind === 'timeout' ? 'timeout' : 'error',
          error: `${err.message}${attempt > 1 ? ` (after ${attempt} attempts)` : ''}`,
        };
      }
    }
  }

  function finish(
    request: AdviceRequest,
    p: Prepared,
    started: number,
    reply: Awaited<ReturnType<StructuredChatModel['invoke']>>,
  ): AdviceResult {
    const ctx: VerifyContext = {
      resolveEvidence: (t) => p.rendered.evidence.resolve(t),
      passages: p.rendered.passages,
    };
    const common = {
      ...base(request, p, started),
      rawOutput: reply.rawOutput,
      parsed: reply.parsed,
      usage: reply.usage,
    };
    // The adapter already parsed with the schema; the answer is still checked here as unknown.
    if (p.prompt.output === 'triage-advice') {
      const draft = triageDraftSchema.safeParse(reply.parsed);
      if (!draft.success) return { ...common, status: 'fallback', error: 'output does not match the schema' };
      const v = verifyTriageDraft(draft.data, ctx);
      if (!v.enough) return fellBack(common, v);
      const evidence = v.triage.rationale.flatMap((s) => s.evidence);
      return {
        ...common,
        status: 'ok',
        statements: v.statements,
        dropped: v.dropped,
        droppedCounts: countDropped(v.dropped),
        triage: v.triage,
        finalTriage: combineTriage(request.assessment.triage, v.triage.suggestedLevel, evidence),
      };
    }
    const draft = summaryDraftSchema.safeParse(reply.parsed);
    if (!draft.success) return { ...common, status: 'fallback', error: 'output does not match the schema' };
    const v = verifySummaryDraft(draft.data, ctx);
    if (!v.enough) return fellBack(common, v);
    return {
      ...common,
      status: 'ok',
      statements: v.statements,
      dropped: v.dropped,
      droppedCounts: countDropped(v.dropped),
    };
  }

  /** Too little survived: nothing of the answer is used (survivors included), all of it is recorded. */
  function fellBack(
    common: Omit<AdviceResult, 'status'>,
    v: { statements: unknown[]; dropped: AdviceResult['dropped']; total: number },
  ): AdviceResult {
    return {
      ...common,
      status: 'fallback',
      statements: [],
      dropped: v.dropped,
      droppedCounts: countDropped(v.dropped),
      error: `too little survived verification (${v.statements.length} of ${v.total})`,
    };
  }

  function startJob(request: AdviceRequest, p: Prepared, started: number): Promise<AdviceResult> {
    const job = run(request, p, started)
      .catch(
        (e: unknown): AdviceResult => ({
          ...base(request, p, started),
          status: 'error',
          error: e instanceof Error ? e.message : String(e),
        }),
      )
      .then(async (result) => {
        // Only finished model answers are worth replaying; failures should be tried again.
        if (result.status === 'ok' || result.status === 'fallback')
          await cache.set(p.key, result).catch(() => {});
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
      while (inflight.size > 0) await Promise.allSettled([...inflight.values()]);
    },
    async advise(request) {
      const started = now();
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
      const hit = await cache.get(p.key).catch(() => undefined);
      if (hit) return { ...hit, cached: true, durationMs: now() - started };

      let job = inflight.get(p.key);
      if (!job) {
        if (!breaker.tryAcquire()) {
          return {
            ...base(request, p, started),
            status: 'circuit-open',
            error: 'model endpoint is failing; not called (circuit open)',
          };
        }
        job = startJob(request, p, started);
      }
      const budget = waitBudget(request);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), budget);
      });
      const winner = await Promise.race([job, timedOut]);
      clearTimeout(timer);
      if (winner === 'timeout') {
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
