// The audit record of one decision: everything needed to reconstruct it (inputs by reference and
// version, scores, findings, triage, passages, the model's prompt, raw output and verification, the
// chart review, the cards as sent) and what went wrong or was missing.
import type { AuditRecordInput } from '../audit/types.ts';
import type { Card } from '../cards/card-schema.ts';
import type { Assessment, ClinicalSnapshot } from '../clinical/types.ts';
import type { ScoredPassage } from '../guidelines/types.ts';
import type { AdviceResult } from '../llm/types.ts';
import type { ChartReviewOutcome } from './chart-review.ts';
import type { DecisionNotes } from './retrieve.ts';
import type { PipelineInput } from './types.ts';

export interface RecordedDecision {
  snapshot: ClinicalSnapshot;
  snapshotHash: string;
  /** The final assessment (citations and the final triage). */
  assessment: Assessment;
  passages: ScoredPassage[];
  advice: AdviceResult;
  review?: ChartReviewOutcome;
  cards: Card[];
  silent: boolean;
  timings: Record<string, number>;
}

export interface RecordContext {
  corpusVersion: string;
  /** The drug table's version, when the chart review is configured. */
  drugTableVersion?: string;
  /** Whether a model is configured (its absence from a decision is then a fallback). */
  modelEnabled: boolean;
}

function llmPart(advice: AdviceResult): NonNullable<AuditRecordInput['llm']> {
  return {
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
  };
}

export function toAuditRecord(
  input: PipelineInput,
  d: RecordedDecision,
  ctx: RecordContext,
  notes: DecisionNotes,
): AuditRecordInput {
  return {
    time: input.at.toISOString(),
    channel: input.channel,
    service: input.service,
    hook: input.hook,
    hookInstance: input.hookInstance,
    user: input.user,
    client: input.client,
    patient: `Patient/${input.patientId}`,
    resources: d.snapshot.resources,
    snapshotHash: d.snapshotHash,
    scores: d.assessment.scores,
    findings: d.assessment.findings,
    triage: d.assessment.triage,
    retrieval: { corpusVersion: ctx.corpusVersion, chunkIds: d.passages.map((p) => p.chunkId) },
    llm: llmPart(d.advice),
    ...(d.review ? { chartReview: d.review.audit } : {}),
    ...(ctx.drugTableVersion !== undefined ? { drugTableVersion: ctx.drugTableVersion } : {}),
    cards: d.cards,
    cardIds: d.cards.map((c) => c.uuid),
    silent: d.silent,
    fallback: ctx.modelEnabled && d.advice.status !== 'ok',
    timings: d.timings,
    errors: [...notes.errors, ...notes.missing.map((m) => `missing: ${m}`)],
  };
}
