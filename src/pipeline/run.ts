// One decision, end to end: snapshot → assess → retrieve → advise (in budget) → verify/combine →
// cards → audit. Shared by the CDS services and the SMART app. No card leaves unless its audit
// record was written (AuditUnavailableError otherwise).
import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.ts';
import type { AuditRecordInput, AuditStore } from '../audit/types.ts';
import { buildCards, modelLabel } from '../cards/build-cards.ts';
import { cardSchema } from '../cards/card-schema.ts';
import { assess } from '../clinical/assess/assess.ts';
import type { Clock } from '../clinical/clock.ts';
import { vitalSignsGap } from '../clinical/scores/inputs.ts';
import { buildSnapshot } from '../clinical/snapshot/build.ts';
import { codeLabel } from '../clinical/snapshot/observation-variants.ts';
import type { Citation, ClinicalSnapshot, TriageResult } from '../clinical/types.ts';
import type { Config } from '../config.ts';
import type { GuidelineIndex } from '../guidelines/types.ts';
import { combineWithAdvice } from '../llm/combine-triage.ts';
import { phiTermsFromResources } from '../llm/redact.ts';
import type { AdviceResult, Advisor } from '../llm/types.ts';
import type { Metrics } from '../observability/metrics.ts';
import {
  type ChartReviewDeps,
  type ChartReviewOutcome,
  chartReviewForView,
  reviewScope,
} from './chart-review.ts';
import { retrieveForAssessment } from './retrieve.ts';
import type { PipelineInput, PipelineResult, RunPipeline } from './types.ts';

export class AuditUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The audit record could not be written; no cards may leave', { cause });
    this.name = 'AuditUnavailableError';
  }
}

export interface PipelineDeps {
  config: Pick<Config, 'PUBLIC_BASE_URL' | 'HOOK_BUDGET_MS' | 'SILENT_SERVICES'>;
  clock: Clock;
  guidelines: GuidelineIndex;
  advisor: Advisor;
  audit: AuditStore;
  /** Called when the audit store fails or recovers (drives /readyz). */
  onAuditHealth?: (healthy: boolean) => void;
  /** Model, verifier, card and audit-append metrics (absent in tools that serve no /metrics). */
  metrics?: Metrics;
  /** The drug table and feedback memory for the chart review; absent: no chart review runs. */
  chartReview?: ChartReviewDeps;
}

/** Which cards each hook shows. */
const SHOW: Record<string, { findings: boolean; triage: boolean; summary: boolean }> = {
  'patient-view': { findings: true, triage: false, summary: true },
  'encounter-start': { findings: true, triage: true, summary: false },
  'order-select': { findings: true, triage: false, summary: false },
  'order-sign': { findings: true, triage: false, summary: false },
};

/** Hash of what the model would see: same facts → same hash (the `at` instant itself excluded). */
export function snapshotHash(snapshot: ClinicalSnapshot): string {
  const { at: _at, resources: _r, ...facts } = snapshot;
  return createHash('sha256').update(canonicalJson(facts)).digest('hex');
}

const ms = (from: number) => Math.round(performance.now() - from);

export function createPipeline(deps: PipelineDeps): RunPipeline {
  return async function run(input: PipelineInput): Promise<PipelineResult> {
    const t0 = performance.now();
    const timings: Record<string, number> = {};
    const errors: string[] = [];
    const missing = [...(input.missing ?? [])];

    const snapshot = buildSnapshot(input.resources, {
      at: input.at,
      chiefComplaint: input.chiefComplaint,
      draftOrders: input.draftOrders,
    });
    const hash = snapshotHash(snapshot);
    const scope = deps.chartReview ? reviewScope(input.hook) : undefined;
    const assessment = assess(
      snapshot,
      deps.chartReview && scope ? { review: { table: deps.chartReview.table, scope } } : {},
    );
    // A vital sign CiteCare cannot read is shown as such on every card, never a silent gap.
    for (const n of snapshot.notUnderstood ?? [])
      missing.push(`not understood: ${codeLabel(n)} (${n.source})`);
    timings.assess = ms(t0);

    const t1 = performance.now();
    let retrieval: Awaited<ReturnType<typeof retrieveForAssessment>>;
    try {
      retrieval = await retrieveForAssessment(deps.guidelines, snapshot, assessment, input.adviceKind);
    } catch (err) {
      // A failing retriever degrades the answer: findings keep their rules, without citations.
      errors.push(`retrieval failed: ${(err as Error).message}`);
      missing.push('guideline passages could not be retrieved');
      retrieval = { findings: assessment.findings, passages: [], triageCitations: [] as Citation[] };
    }
    const floorTriage = retrieval.triage ?? assessment.triage;
    const withCitations = { ...assessment, findings: retrieval.findings, triage: floorTriage };
    timings.retrieve = ms(t1);

    const t2 = performance.now();
    let advice: AdviceResult = {
      kind: input.adviceKind ?? 'summary',
      status: 'disabled',
      statements: [],
      dropped: [],
      durationMs: 0,
    };
    if (input.adviceKind && deps.advisor.enabled) {
      // The budget counts from the request's arrival: FHIR fetching has already spent part of it.
      const budgetMs = Math.max(0, deps.config.HOOK_BUDGET_MS - ms(input.startedAt ?? t0) - 150);
      try {
        advice = await deps.advisor.advise({
          kind: input.adviceKind,
          snapshot,
          assessment: withCitations,
          passages: retrieval.passages,
          budgetMs,
          // Names, identifiers and addresses from the input resources are redacted from free text
          // even where no pattern would recognise them (a bare name in a chief complaint).
          phiTerms: phiTermsFromResources(input.resources),
          snapshotHash: hash,
        });
      } catch (err) {
        errors.push(`model failed: ${(err as Error).message}`);
        advice = {
          kind: input.adviceKind,
          status: 'error',
          statements: [],
          dropped: [],
          durationMs: ms(t2),
          error: (err as Error).message,
        };
      }
    }
    timings.advise = ms(t2);
    deps.metrics?.observeAdvice(advice);

    const vitalsGap = vitalSignsGap(snapshot);
    if (input.adviceKind === 'triage' && vitalsGap) missing.push(vitalsGap);
    const triage: TriageResult =
      advice.status === 'ok' && advice.triage
        ? combineWithAdvice(floorTriage, snapshot, advice.triage)
        : floorTriage;
    const finalAssessment = { ...withCitations, triage };

    const silent = deps.config.SILENT_SERVICES.includes(input.service);
    let review: ChartReviewOutcome | undefined;
    if (deps.chartReview && scope === 'chart') {
      review = await chartReviewForView(deps.chartReview, {
        snapshot,
        patient: `Patient/${input.patientId}`,
        at: input.at,
        findings: finalAssessment.findings,
        serviceId: input.service,
        publicBaseUrl: deps.config.PUBLIC_BASE_URL,
        modelLabel: modelLabel(advice),
      });
      errors.push(...review.errors);
    }
    const built = buildCards({
      serviceId: input.service,
      publicBaseUrl: deps.config.PUBLIC_BASE_URL,
      patientId: input.patientId,
      encounterId: input.encounterId,
      assessment: review
        ? { ...finalAssessment, findings: [...review.rest, ...review.grouped] }
        : finalAssessment,
      ...(review ? { grouped: new Set(review.grouped) } : {}),
      triage,
      advice,
      triageCitations: retrieval.triageCitations,
      missing,
      show: SHOW[input.hook] ?? { findings: true, triage: input.adviceKind === 'triage', summary: false },
    });
    // Checked before the record is written, so the record holds exactly the cards that leave.
    const cards = [...built, ...(review?.cards.map((c) => c.card) ?? [])].filter((c) => {
      const ok = cardSchema.safeParse(c);
      if (!ok.success)
        errors.push(`card withheld, not valid CDS Hooks: ${ok.error.issues[0]?.message ?? 'invalid'}`);
      return ok.success;
    });
    timings.total = ms(input.startedAt ?? t0);

    const record: AuditRecordInput = {
      time: input.at.toISOString(),
      channel: input.channel,
      service: input.service,
      hook: input.hook,
      hookInstance: input.hookInstance,
      user: input.user,
      client: input.client,
      patient: `Patient/${input.patientId}`,
      resources: snapshot.resources,
      snapshotHash: hash,
      scores: finalAssessment.scores,
      findings: finalAssessment.findings,
      triage,
      retrieval: {
        corpusVersion: deps.guidelines.corpusVersion,
        chunkIds: retrieval.passages.map((p) => p.chunkId),
      },
      llm: {
        status: advice.status,
        provider: advice.model?.provider,
        model: advice.model?.name,
        parameters: advice.model ? { temperature: advice.model.temperature } : undefined,
        prompt: advice.prompt,
        rawOutput: advice.rawOutput,
        parsed: advice.parsed,
        verification: { kept: advice.statements.length, dropped: advice.dropped },
        usage: advice.usage,
        error: advice.error,
        cached: advice.cached,
      },
      ...(review ? { chartReview: review.audit } : {}),
      ...(deps.chartReview ? { drugTableVersion: deps.chartReview.table.version } : {}),
      cards,
      cardIds: cards.map((c) => c.uuid),
      silent,
      fallback: deps.advisor.enabled && advice.status !== 'ok',
      timings,
      errors: [...errors, ...missing.map((m) => `missing: ${m}`)],
    };

    let audit: PipelineResult['audit'];
    try {
      audit = deps.metrics
        ? await deps.metrics.timeAuditAppend(() => deps.audit.append(record))
        : await deps.audit.append(record);
      deps.onAuditHealth?.(true);
    } catch (err) {
      deps.onAuditHealth?.(false);
      throw new AuditUnavailableError(err);
    }

    if (!silent) deps.metrics?.observeCards(cards);
    return {
      snapshot,
      snapshotHash: hash,
      assessment: finalAssessment,
      passages: retrieval.passages,
      advice,
      cards,
      silent,
      audit,
    };
  };
}
