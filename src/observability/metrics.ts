// Prometheus metrics for one process (prom-client). Each runtime owns its registry, so tests can
// run several apps side by side. Served on METRICS_PORT only (src/server/metrics-server.ts); the
// names `citecare_hook_duration_seconds`, `citecare_model_calls_total` and
// `citecare_audit_append_failures_total` are a contract (docs: interfaces.md, "Operations").
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { FhirGateway } from '../fhir/gateway.ts';
import { FhirGatewayError } from '../fhir/gateway.ts';
import type { AdviceResult } from '../llm/types.ts';

/** How a hook call ended, as the latency histogram labels it. */
export const HOOK_OUTCOMES = {
  cards: 'cards',
  noCards: 'no_cards',
  clientError: '4xx',
  preconditionFailed: '412',
  auditFailure: 'audit_failure',
} as const;
export type HookOutcome = (typeof HOOK_OUTCOMES)[keyof typeof HOOK_OUTCOMES];

/** The model call's status label: the advisor's statuses, with the breaker's spelled for Prometheus. */
const MODEL_STATUS: Record<AdviceResult['status'], string | undefined> = {
  ok: 'ok',
  fallback: 'fallback',
  timeout: 'timeout',
  'circuit-open': 'breaker_open',
  error: 'error',
  disabled: undefined,
};

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Every metric's help text, by name (what `/metrics` shows beside each one). */
const HELP = {
  citecare_hook_duration_seconds: 'CDS hook latency from arrival to answer, by service and outcome',
  citecare_cards_total: 'Cards returned, by indicator',
  citecare_model_calls_total:
    'Model answers by status (ok, fallback, timeout, breaker_open, error); cached answers included',
  citecare_model_tokens_total:
    'Tokens reported by the model endpoint, by kind (prompt, completion); cached answers excluded',
  citecare_verifier_drops_total: 'Model statements dropped by the grounding verifier, by reason code',
  citecare_audit_append_duration_seconds:
    'Time to append one decision record to the audit chain (durable on return)',
  citecare_audit_append_failures_total: 'Audit appends that failed (the hook answered with no cards)',
  citecare_fhir_fetch_duration_seconds: 'FHIR server calls made for hooks whose prefetch was incomplete',
  citecare_fhir_fetch_errors_total:
    'FHIR server calls that failed, by kind (timeout, network, http, invalid-response)',
  citecare_ready: 'Readiness: 1 when the audit store is writable and the guideline corpus loaded, else 0',
} as const;
type MetricName = keyof typeof HELP;

/** Metric builders bound to one registry, so the declarations below name only what differs. */
function metricsIn(registry: Registry) {
  const registers = [registry];
  return {
    counter: <L extends string = string>(name: MetricName, labelNames: readonly L[] = []) =>
      new Counter<L>({ name, help: HELP[name], labelNames, registers }),
    histogram: <L extends string = string>(
      name: MetricName,
      buckets: number[],
      labelNames: readonly L[] = [],
    ) => new Histogram<L>({ name, help: HELP[name], labelNames, buckets, registers }),
  };
}

const AUDIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class Metrics {
  readonly registry = new Registry();
  readonly #m = metricsIn(this.registry);
  readonly hookDuration = this.#m.histogram('citecare_hook_duration_seconds', LATENCY_BUCKETS, [
    'service',
    'outcome',
  ]);
  readonly cards = this.#m.counter('citecare_cards_total', ['indicator']);
  readonly modelCalls = this.#m.counter('citecare_model_calls_total', ['status']);
  readonly modelTokens = this.#m.counter('citecare_model_tokens_total', ['kind']);
  readonly verifierDrops = this.#m.counter('citecare_verifier_drops_total', ['reason']);
  readonly auditAppendDuration = this.#m.histogram('citecare_audit_append_duration_seconds', AUDIT_BUCKETS);
  readonly auditAppendFailures = this.#m.counter('citecare_audit_append_failures_total');
  readonly fhirFetchDuration = this.#m.histogram('citecare_fhir_fetch_duration_seconds', LATENCY_BUCKETS, [
    'operation',
  ]);
  readonly fhirFetchErrors = this.#m.counter('citecare_fhir_fetch_errors_total', ['kind']);
  readonly ready = new Gauge({
    name: 'citecare_ready',
    help: HELP.citecare_ready,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'citecare_' });
  }

  /** Model status, tokens and verifier drops of one decision (nothing in deterministic mode). */
  observeAdvice(advice: AdviceResult): void {
    const status = MODEL_STATUS[advice.status];
    if (status === undefined) return;
    this.modelCalls.inc({ status });
    if (advice.usage && !advice.cached) {
      this.modelTokens.inc({ kind: 'prompt' }, advice.usage.promptTokens);
      this.modelTokens.inc({ kind: 'completion' }, advice.usage.completionTokens);
    }
    for (const d of advice.dropped) this.verifierDrops.inc({ reason: d.code ?? 'other' });
  }

  observeCards(cards: readonly unknown[]): void {
    for (const card of cards) {
      const indicator = (card as { indicator?: unknown }).indicator;
      this.cards.inc({ indicator: typeof indicator === 'string' ? indicator : 'unknown' });
    }
  }

  /** Times an audit append; a failure is counted and rethrown. */
  async timeAuditAppend<T>(append: () => Promise<T>): Promise<T> {
    const end = this.auditAppendDuration.startTimer();
    try {
      return await append();
    } catch (err) {
      this.auditAppendFailures.inc();
      throw err;
    } finally {
      end();
    }
  }

  /** The gateway with every call timed and every failure counted by kind. */
  instrumentGateway(gateway: FhirGateway): FhirGateway {
    const timed =
      <A extends unknown[], R>(operation: string, call: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        const end = this.fhirFetchDuration.startTimer({ operation });
        try {
          return await call(...args);
        } catch (err) {
          this.fhirFetchErrors.inc({ kind: err instanceof FhirGatewayError ? err.kind : 'other' });
          throw err;
        } finally {
          end();
        }
      };
    return {
      read: timed('read', gateway.read.bind(gateway)),
      search: timed('search', gateway.search.bind(gateway)),
      query: timed('query', gateway.query.bind(gateway)),
      collect: timed('collect', gateway.collect.bind(gateway)),
      createIfNoneExist: gateway.createIfNoneExist.bind(gateway),
    };
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
