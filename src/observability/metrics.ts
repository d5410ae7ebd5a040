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

export class Metrics {
  readonly registry = new Registry();
  readonly hookDuration = new Histogram({
    name: 'citecare_hook_duration_seconds',
    help: 'CDS hook latency from arrival to answer, by service and outcome',
    labelNames: ['service', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly cards = new Counter({
    name: 'citecare_cards_total',
    help: 'Cards returned, by indicator',
    labelNames: ['indicator'] as const,
    registers: [this.registry],
  });
  readonly modelCalls = new Counter({
    name: 'citecare_model_calls_total',
    help: 'Model answers by status (ok, fallback, timeout, breaker_open, error); cached answers included',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly modelTokens = new Counter({
    name: 'citecare_model_tokens_total',
    help: 'Tokens reported by the model endpoint, by kind (prompt, completion); cached answers excluded',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly verifierDrops = new Counter({
    name: 'citecare_verifier_drops_total',
    help: 'Model statements dropped by the grounding verifier, by reason code',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly auditAppendDuration = new Histogram({
    name: 'citecare_audit_append_duration_seconds',
    help: 'Time to append one decision record to the audit chain (durable on return)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly auditAppendFailures = new Counter({
    name: 'citecare_audit_append_failures_total',
    help: 'Audit appends that failed (the hook answered with no cards)',
    registers: [this.registry],
  });
  readonly fhirFetchDuration = new Histogram({
    name: 'citecare_fhir_fetch_duration_seconds',
    help: 'FHIR server calls made for hooks whose prefetch was incomplete',
    labelNames: ['operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly fhirFetchErrors = new Counter({
    name: 'citecare_fhir_fetch_errors_total',
    help: 'FHIR server calls that failed, by kind (timeout, network, http, invalid-response)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly ready = new Gauge({
    name: 'citecare_ready',
    help: 'Readiness: 1 when the audit store is writable and the guideline corpus loaded, else 0',
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
