// The wiring: the one place that chooses concrete adapters for the ports. Tests pass overrides
// (a memory audit store, a fake advisor, a fixed clock) and get the same pipeline.

import type { Redis } from 'ioredis';
import { snoozesFromAudit } from '../audit/chart-review-snoozes.ts';
import { openAuditStore } from '../audit/open-audit-store.ts';
import type { AuditDatabase } from '../audit/types.ts';
import { type CdsClient, loadCdsClients } from '../auth/cds-clients.ts';
import { createReplayCache, type ReplayCache } from '../auth/replay-cache.ts';
import { type Clock, systemClock } from '../clinical/clock.ts';
import type { DrugTable } from '../clinical/medication-review/drug-table.ts';
import type { Config } from '../config.ts';
import { FhirServerAllowlist } from '../fhir/allowlist.ts';
import { fhirKitGatewayFactory } from '../fhir/fhir-kit-gateway.ts';
import type { FhirGatewayFactory } from '../fhir/gateway.ts';
import {
  createGuidelineIndex,
  guidelineIndexOptions,
} from '../guidelines/adapters/create-guideline-index.ts';
import { memoizeSearches } from '../guidelines/memo-index.ts';
import type { GuidelineIndex } from '../guidelines/types.ts';
import { closeRedis, createSharedRedis } from '../http/redis.ts';
import { loadDrugTable } from '../knowledge/drug-table-file.ts';
import type { AdviceCache } from '../llm/advice-cache.ts';
import { createOpenAIAdvisor } from '../llm/openai-advisor.ts';
import { RedisAdviceCache } from '../llm/redis-advice-cache.ts';
import { type Advisor, noAdvisor } from '../llm/types.ts';
import { Metrics } from '../observability/metrics.ts';
import { createPipeline } from '../pipeline/run.ts';
import type { RunPipeline } from '../pipeline/types.ts';
import { loadOrCreateDemoClient } from './demo-client.ts';

/** Readiness: red after a failed audit write, green again after a successful write or probe. */
export class Health {
  private failedAt: number | undefined;
  constructor(
    private readonly now: () => number = Date.now,
    /** Called with every change of the audit store's state (the readiness gauge). */
    private readonly onChange: (auditOk: boolean) => void = () => {},
  ) {}

  auditWrite(ok: boolean): void {
    this.failedAt = ok ? undefined : this.now();
    this.onChange(ok);
  }

  /**
   * Whether the audit store can be written. After a failure the store is probed again once the
   * failure is 30 s old, so an instance the load balancer stopped sending traffic to can recover.
   */
  async auditWritable(probe: () => Promise<boolean>): Promise<boolean> {
    if (this.failedAt !== undefined && this.now() - this.failedAt < 30_000) return false;
    const ok = await probe().catch(() => false);
    this.auditWrite(ok);
    return ok;
  }
}

export interface Runtime {
  config: Config;
  /**
   * Sends adapters' degradation warnings (embedding endpoint down…) to `sink`, replaying those
   * raised before a logger existed. serve.ts points it at the log.
   */
  onWarning(sink: (message: string) => void): void;
  clock: Clock;
  guidelines: GuidelineIndex;
  advisor: Advisor;
  audit: AuditDatabase;
  /** The versioned drug knowledge behind the medication review (loaded and checked at start). */
  drugTable: DrugTable;
  pipeline: RunPipeline;
  /** How routes reach a FHIR server (a hook's fhirServer, the SMART session's issuer). */
  fhirGateway: FhirGatewayFactory;
  /** FHIR_SERVERS_ALLOWED, parsed once; undefined when any server may be used (not in production). */
  fhirServersAllowed?: FhirServerAllowlist;
  cdsClients: CdsClient[];
  replayCache: ReplayCache;
  /** The process's one Redis client for rate-limit counters (REDIS_URL), closed with the runtime. */
  redis: Redis | undefined;
  health: Health;
  /** This process's Prometheus metrics (served on METRICS_PORT). */
  metrics: Metrics;
  close(): Promise<void>;
}

export type RuntimeOverrides = Partial<
  Pick<
    Runtime,
    'clock' | 'guidelines' | 'advisor' | 'audit' | 'cdsClients' | 'replayCache' | 'drugTable' | 'fhirGateway'
  >
>;

/**
 * The model port: an OpenAI-compatible endpoint (its adapter behind the resilience wrapper, see
 * src/llm/openai-advisor.ts), or deterministic mode. An endpoint is configured by an API key, or by
 * OPENAI_BASE_URL alone: local OpenAI-compatible servers (vLLM, Ollama, llama.cpp) often need no key.
 */
export function createAdvisor(config: Config, options: { cache?: AdviceCache } = {}): Advisor {
  if (config.LLM_PROVIDER !== 'openai') return noAdvisor;
  if (!config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) return noAdvisor;
  return createOpenAIAdvisor(config, options);
}

/** Whether `npm start` should trust the locally generated demo CDS client. */
export function trustsDemoClient(config: Config): boolean {
  return config.DEMO_FHIR === 'on' && config.NODE_ENV !== 'production';
}

/** Warnings raised before the logger exists are kept and replayed once serve.ts sets a sink. */
function warningBuffer(): { warn: (m: string) => void; setSink: (sink: (m: string) => void) => void } {
  const early: string[] = [];
  let sink: ((m: string) => void) | undefined;
  return {
    warn: (m) => (sink ? sink(m) : early.push(m)),
    setSink(next) {
      sink = next;
      for (const m of early.splice(0)) next(m);
    },
  };
}

/** The guideline index and the model port, with model answers shared through Redis when instances share it. */
async function createKnowledgeAdapters(
  config: Config,
  overrides: RuntimeOverrides,
  warn: (m: string) => void,
): Promise<{ guidelines: GuidelineIndex; advisor: Advisor; sharedAdviceCache?: RedisAdviceCache }> {
  const index =
    overrides.guidelines ?? (await createGuidelineIndex(guidelineIndexOptions(config, { onWarning: warn })));
  // BM25 alone is deterministic: repeated searches (every view of a chart) come from memory.
  const guidelines = config.EMBEDDINGS_BASE_URL ? index : memoizeSearches(index);
  // Sealed, so SESSION_SECRET is needed too.
  const sharedAdviceCache =
    !overrides.advisor && config.REDIS_URL && config.SESSION_SECRET
      ? new RedisAdviceCache({
          url: config.REDIS_URL,
          keyPrefix: config.REDIS_KEY_PREFIX,
          secret: config.SESSION_SECRET,
        })
      : undefined;
  const advisor =
    overrides.advisor ?? createAdvisor(config, sharedAdviceCache ? { cache: sharedAdviceCache } : {});
  return { guidelines, advisor, ...(sharedAdviceCache ? { sharedAdviceCache } : {}) };
}

/** The CDS clients whose JWTs are trusted: the configured file, plus the local demo client in development. */
async function trustedCdsClients(config: Config, overrides: RuntimeOverrides): Promise<CdsClient[]> {
  if (overrides.cdsClients) return overrides.cdsClients;
  const clients = await loadCdsClients(config.CDS_CLIENTS_FILE);
  if (trustsDemoClient(config)) {
    const demo = await loadOrCreateDemoClient('data');
    clients.push({ iss: demo.iss, jwks: demo.jwks as CdsClient['jwks'], allowedJku: [] });
  }
  return clients;
}

export async function createRuntime(config: Config, overrides: RuntimeOverrides = {}): Promise<Runtime> {
  const clock = overrides.clock ?? systemClock;
  const warnings = warningBuffer();
  const { guidelines, advisor, sharedAdviceCache } = await createKnowledgeAdapters(
    config,
    overrides,
    warnings.warn,
  );
  const audit = overrides.audit ?? (await openAuditStore(config.AUDIT_DATABASE_URL));
  const drugTable = overrides.drugTable ?? (await loadDrugTable());
  const cdsClients = await trustedCdsClients(config, overrides);
  const replayCache = overrides.replayCache ?? createReplayCache(config.REDIS_URL, config.REDIS_KEY_PREFIX);
  const redis = config.REDIS_URL ? createSharedRedis(config.REDIS_URL) : undefined;
  const metrics = new Metrics();
  const health = new Health(Date.now, (ok) => metrics.ready.set(ok && guidelines.size > 0 ? 1 : 0));

  const pipeline = createPipeline({
    config,
    clock,
    guidelines,
    advisor,
    audit,
    onAuditHealth: (ok) => health.auditWrite(ok),
    metrics,
    chartReview: {
      table: drugTable,
      snoozeDays: config.CHART_REVIEW_SNOOZE_DAYS,
      ...(config.CHART_REVIEW_SNOOZE_DAYS > 0 ? { snoozes: snoozesFromAudit(audit) } : {}),
    },
  });

  return {
    config,
    onWarning: warnings.setSink,
    clock,
    guidelines,
    advisor,
    audit,
    drugTable,
    pipeline,
    fhirGateway:
      overrides.fhirGateway ??
      fhirKitGatewayFactory({ timeoutMs: config.FHIR_TIMEOUT_MS, maxPages: config.FHIR_MAX_PAGES }),
    fhirServersAllowed: config.FHIR_SERVERS_ALLOWED && new FhirServerAllowlist(config.FHIR_SERVERS_ALLOWED),
    cdsClients,
    replayCache,
    redis,
    health,
    metrics,
    async close() {
      await audit.close();
      await replayCache.close?.();
      await sharedAdviceCache?.close();
      if (redis) await closeRedis(redis);
    },
  };
}
