// One decision, end to end: snapshot → assess → retrieve → advise (in budget) → combine → cards →
// audit. Shared by the CDS services and the SMART app. Each service says which cards it shows and
// whether the chart review runs (PipelineInput.show, .reviewScope); the pipeline never branches on a
// hook's name. No card leaves unless its audit record was written (AuditUnavailableError otherwise).
import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.ts';
import type { AuditRecordInput, AuditStore } from '../audit/types.ts';
import { assess } from '../clinical/assess/assess.ts';
import type { Clock } from '../clinical/clock.ts';
import { vitalSignsGap } from '../clinical/scores/inputs.ts';
import { buildSnapshot } from '../clinical/snapshot/build.ts';
import { codeLabel } from '../clinical/snapshot/observation-variants.ts';
import type { ClinicalSnapshot } from '../clinical/types.ts';
import type { Config } from '../config.ts';
import type { GuidelineIndex } from '../guidelines/types.ts';
import type { Advisor } from '../llm/types.ts';
import type { Metrics } from '../observability/metrics.ts';
import { adviseInBudget, ms } from './advise.ts';
import { toAuditRecord } from './audit-record.ts';
import type { ChartReviewDeps } from './chart-review.ts';
import { decisionCards } from './decision-cards.ts';
import { finalTriage } from './final-triage.ts';
import { type DecisionNotes, retrieveOrDegrade } from './retrieve.ts';
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

/** Hash of what the model would see: same facts → same hash (the `at` instant itself excluded). */
export function snapshotHash(snapshot: ClinicalSnapshot): string {
  const { at: _at, resources: _r, ...facts } = snapshot;
  return createHash('sha256').update(canonicalJson(facts)).digest('hex');
}

/** The snapshot and the deterministic assessment (with the medication review when the service asks). */
function assessInput(deps: PipelineDeps, input: PipelineInput, notes: DecisionNotes) {
  const snapshot = buildSnapshot(input.resources, {
    at: input.at,
    chiefComplaint: input.chiefComplaint,
    draftOrders: input.draftOrders,
  });
  const scope = input.reviewScope;
  const assessment = assess(
    snapshot,
    deps.chartReview && scope ? { review: { table: deps.chartReview.table, scope } } : {},
  );
  // A vital sign CiteCare cannot read is shown as such on every card, never a silent gap.
  for (const n of snapshot.notUnderstood ?? [])
    notes.missing.push(`not understood: ${codeLabel(n)} (${n.source})`);
  return { snapshot, hash: snapshotHash(snapshot), assessment };
}

/** Appends the record; a store that fails means no cards (and readiness turns red). */
async function appendAudit(deps: PipelineDeps, record: AuditRecordInput): Promise<PipelineResult['audit']> {
  try {
    const audit = deps.metrics
      ? await deps.metrics.timeAuditAppend(() => deps.audit.append(record))
      : await deps.audit.append(record);
    deps.onAuditHealth?.(true);
    return audit;
  } catch (err) {
    deps.onAuditHealth?.(false);
    throw new AuditUnavailableError(err);
  }
}

export function createPipeline(deps: PipelineDeps): RunPipeline {
  return async function run(input: PipelineInput): Promise<PipelineResult> {
    const t0 = performance.now();
    const timings: Record<string, number> = {};
    const notes: DecisionNotes = { errors: [], missing: [...(input.missing ?? [])] };

    const { snapshot, hash, assessment } = assessInput(deps, input, notes);
    timings.assess = ms(t0);

    const t1 = performance.now();
    const retrieval = await retrieveOrDegrade(deps.guidelines, snapshot, assessment, input.adviceKind, notes);
    const floorTriage = retrieval.triage ?? assessment.triage;
    const withCitations = { ...assessment, findings: retrieval.findings, triage: floorTriage };
    timings.retrieve = ms(t1);

    const t2 = performance.now();
    const given = { snapshot, snapshotHash: hash, assessment: withCitations, passages: retrieval.passages };
    const advice = await adviseInBudget(deps, input, given, t0, notes);
    timings.advise = ms(t2);
    deps.metrics?.observeAdvice(advice);

    const vitalsGap = vitalSignsGap(snapshot);
    if (input.adviceKind === 'triage' && vitalsGap) notes.missing.push(vitalsGap);
    const final = { ...withCitations, triage: finalTriage(floorTriage, snapshot, advice) };

    const decision = { snapshot, assessment: final, advice, triageCitations: retrieval.triageCitations };
    const { cards, review } = await decisionCards(
      { publicBaseUrl: deps.config.PUBLIC_BASE_URL, chartReview: deps.chartReview },
      input,
      { ...decision, retrievalFailed: retrieval.failed },
      notes,
    );
    timings.total = ms(input.startedAt ?? t0);

    const silent = deps.config.SILENT_SERVICES.includes(input.service);
    const recorded = {
      ...decision,
      snapshotHash: hash,
      passages: retrieval.passages,
      review,
      cards,
      silent,
      timings,
    };
    const audit = await appendAudit(deps, toAuditRecord(input, recorded, recordContext(deps), notes));
    if (!silent) deps.metrics?.observeCards(cards);
    const { passages } = retrieval;
    return { snapshot, snapshotHash: hash, assessment: final, passages, advice, cards, silent, audit };
  };
}

function recordContext(deps: PipelineDeps) {
  return {
    corpusVersion: deps.guidelines.corpusVersion,
    ...(deps.chartReview ? { drugTableVersion: deps.chartReview.table.version } : {}),
    modelEnabled: deps.advisor.enabled,
  };
}
