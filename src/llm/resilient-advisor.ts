// The resilience wrapper around an advice chain, for any chat model adapter. The hook's time budget
// counts from the moment advise() is called (prompt building and the cache lookup spend it too). A
// call that misses the budget keeps running (up to attemptTimeoutMs) and its verified result is
// cached, so the next identical request gets it at once. Retries (429/5xx) only while the budget
// allows; at most a few calls run at once, and a circuit breaker, which also counts budget misses,
// stops calling an endpoint that keeps failing.
import { type AdviceCache, MemoryAdviceCache } from './advice-cache.ts';
import type { AdviceChain, PreparedAdvice } from './advice-chain.ts';
import { ModelCallError, type ModelReply } from './chat-model.ts';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelay } from './retry-policy.ts';
import type { AdviceRequest, AdviceResult, Advisor } from './types.ts';

/** A fallback is cached only briefly: the next view may well get a usable answer. */
const FALLBACK_CACHE_MS = 60_000;

export interface ResilienceOptions {
  /** The longest a caller waits (LLM_TIMEOUT_MS); a hook's remaining budget may be shorter. */
  waitCapMs: number;
  /** Hard limit for one attempt, background included (default 3 × waitCapMs). */
  attemptTimeoutMs?: number;
  cache?: AdviceCache;
  breaker?: CircuitBreaker | CircuitBreakerOptions;
  retry?: Partial<RetryPolicy>;
  /**
   * Most model calls running at once, background included (default 4). Beyond it a request gets
   * status 'timeout' without a call: a hung endpoint is not hammered by every chart opened.
   */
  maxConcurrentCalls?: number;
  /** Longest wait for the cache lookup (default 100 ms; a shared cache may hang). */
  cacheTimeoutMs?: number;
  now?: () => number;
}

export interface ResilientAdvisor extends Advisor {
  readonly breaker: CircuitBreaker;
  readonly cache: AdviceCache;
  /** Resolves when every call still running in the background has finished (tests, shutdown). */
  settle(): Promise<void>;
}

interface Job {
  promise: Promise<AdviceResult>;
  /** Whether a caller's budget miss was already counted against the endpoint. */
  softFailed: boolean;
}

interface Wrapper {
  chain: AdviceChain;
  cache: AdviceCache;
  breaker: CircuitBreaker;
  policy: RetryPolicy;
  now: () => number;
  waitCapMs: number;
  attemptTimeoutMs: number;
  maxConcurrent: number;
  cacheTimeoutMs: number;
  inflight: Map<string, Job>;
}

export function createResilientAdvisor(chain: AdviceChain, options: ResilienceOptions): ResilientAdvisor {
  const w: Wrapper = {
    chain,
    cache: options.cache ?? new MemoryAdviceCache(),
    breaker:
      options.breaker instanceof CircuitBreaker ? options.breaker : new CircuitBreaker(options.breaker ?? {}),
    policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    now: options.now ?? Date.now,
    waitCapMs: options.waitCapMs,
    attemptTimeoutMs: options.attemptTimeoutMs ?? 3 * options.waitCapMs,
    maxConcurrent: options.maxConcurrentCalls ?? 4,
    cacheTimeoutMs: options.cacheTimeoutMs ?? 100,
    inflight: new Map(),
  };
  return {
    enabled: true,
    breaker: w.breaker,
    cache: w.cache,
    describe: (kind) => chain.describe(kind),
    async settle() {
      while (w.inflight.size > 0) await Promise.allSettled([...w.inflight.values()].map((j) => j.promise));
    },
    advise: (request) => advise(w, request),
  };
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

/** What every result records, before its status. */
function base(w: Wrapper, request: AdviceRequest, p: PreparedAdvice | undefined, started: number) {
  return {
    kind: request.kind,
    model: w.chain.model,
    ...p?.stamp(),
    statements: [],
    dropped: [],
    durationMs: w.now() - started,
  };
}

async function advise(w: Wrapper, request: AdviceRequest): Promise<AdviceResult> {
  const started = w.now();
  // How long a caller waits: the hook's remaining budget, never more than the cap.
  const budget = Math.max(0, Math.min(request.budgetMs, w.waitCapMs));
  const left = () => Math.max(0, started + budget - w.now());
  let p: PreparedAdvice;
  try {
    p = await w.chain.prepare(request);
  } catch (e) {
    return {
      ...base(w, request, undefined, started),
      status: 'error',
      error: `cannot build the prompt: ${String(e)}`,
    };
  }
  const hit = await within(
    w.cache.get(p.key).catch(() => undefined),
    Math.min(w.cacheTimeoutMs, left()),
    undefined,
  );
  if (hit) return { ...hit, cached: true, durationMs: w.now() - started };

  let job = w.inflight.get(p.key);
  if (!job) {
    const size = w.inflight.size;
    if (size >= w.maxConcurrent) {
      return {
        ...base(w, request, p, started),
        status: 'timeout',
        error: `${size} model calls still running; not called`,
      };
    }
    if (!w.breaker.tryAcquire()) {
      const error = 'model endpoint is failing; not called (circuit open)';
      return { ...base(w, request, p, started), status: 'circuit-open', error };
    }
    job = startJob(w, request, p, started);
  }
  const winner = await within(job.promise, left(), 'timeout' as const);
  if (winner !== 'timeout') return { ...winner, durationMs: w.now() - started };
  // A budget miss is a soft failure: an endpoint that hangs opens the circuit too.
  if (!job.softFailed) {
    job.softFailed = true;
    w.breaker.onSoftFailure();
  }
  return {
    ...base(w, request, p, started),
    status: 'timeout',
    error: `no answer within ${budget} ms; the call finishes in the background and is cached`,
  };
}

function startJob(w: Wrapper, request: AdviceRequest, p: PreparedAdvice, started: number): Job {
  const job: Job = { promise: Promise.resolve(undefined as never), softFailed: false };
  job.promise = run(w, request, p, started, job)
    .catch(
      (e: unknown): AdviceResult => ({
        ...base(w, request, p, started),
        status: 'error',
        error: e instanceof Error ? e.message : String(e),
      }),
    )
    .then(async (result) => {
      // Only usable answers are worth replaying; a fallback briefly (the same input would fail
      // the same way), failures not at all.
      if (result.status === 'ok') await w.cache.set(p.key, result).catch(() => {});
      else if (result.status === 'fallback')
        await w.cache.set(p.key, result, FALLBACK_CACHE_MS).catch(() => {});
      return result;
    })
    .finally(() => w.inflight.delete(p.key));
  w.inflight.set(p.key, job);
  return job;
}

/** One attempt, abandoned (and aborted) after attemptTimeoutMs whatever the adapter does. */
async function attempt(w: Wrapper, p: PreparedAdvice): Promise<ModelReply> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new ModelCallError('timeout', `model call abandoned after ${w.attemptTimeoutMs} ms`));
    }, w.attemptTimeoutMs);
  });
  try {
    return await Promise.race([p.invoke(controller.signal), cap]);
  } finally {
    clearTimeout(timer);
  }
}

async function run(
  w: Wrapper,
  request: AdviceRequest,
  p: PreparedAdvice,
  started: number,
  job: Job,
): Promise<AdviceResult> {
  const deadline = started + Math.max(0, Math.min(request.budgetMs, w.waitCapMs));
  for (let n = 1; ; n++) {
    try {
      const reply = await attempt(w, p);
      w.breaker.onSuccess();
      return p.outcome(base(w, request, p, started), reply);
    } catch (e) {
      const delay =
        e instanceof ModelCallError && e.retryable ? retryDelay(n, e.details.retryAfterMs, w.policy) : null;
      // Retry only if the wait and a short attempt still fit before the budget runs out.
      if (delay !== null && w.now() + delay + 50 < deadline) {
        await new Promise((r) => setTimeout(r, delay));
        continue;
      }
      return { ...base(w, request, p, started), ...failed(w, e, n, job) };
    }
  }
}

/** The status of a call that ended in `e` after `n` attempts, with the breaker told what it means. */
function failed(
  w: Wrapper,
  e: unknown,
  n: number,
  job: Job,
): Pick<AdviceResult, 'status' | 'rawOutput' | 'error'> {
  if (!(e instanceof ModelCallError)) {
    // A bug on our side says nothing about the endpoint.
    w.breaker.release();
    return { status: 'error', error: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (e.outputProblem) {
    w.breaker.onSuccess();
    return { status: 'fallback', rawOutput: e.details.rawOutput, error: e.message };
  }
  if (e.kind === 'internal') {
    w.breaker.release();
    return { status: 'error', error: e.message };
  }
  // The endpoint failed: counted once per call (a budget miss may have counted it already).
  if (job.softFailed) w.breaker.release();
  else w.breaker.onFailure();
  return {
    status: e.kind === 'timeout' ? 'timeout' : 'error',
    error: `${e.message}${n > 1 ? ` (after ${n} attempts)` : ''}`,
  };
}
