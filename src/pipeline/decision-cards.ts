// The cards of one decision: the chart-review cards (when the service's review scope is the whole
// chart), the service's own cards by its CardPolicy, and a last check that each is valid CDS Hooks:
// an invalid card is withheld (and the reason recorded), so the audit record holds exactly the cards
// that leave.
import { buildCards, type CardPolicy } from '../cards/build-cards.ts';
import { modelLabel } from '../cards/card-parts.ts';
import { type Card, cardSchema } from '../cards/card-schema.ts';
import type { Assessment, Citation, ClinicalSnapshot } from '../clinical/types.ts';
import type { AdviceResult } from '../llm/types.ts';
import { type ChartReviewDeps, type ChartReviewOutcome, chartReviewForView } from './chart-review.ts';
import type { DecisionNotes } from './retrieve.ts';
import type { PipelineInput } from './types.ts';

/** The decision the cards show. */
export interface CardDecision {
  snapshot: ClinicalSnapshot;
  /** The assessment with citations and the final triage. */
  assessment: Assessment;
  advice: AdviceResult;
  triageCitations: Citation[];
  retrievalFailed: boolean;
}

/** Without a policy: findings, and the triage card when the model task is triage (SMART app, CLI). */
function defaultPolicy(input: PipelineInput): CardPolicy {
  return { findings: true, triage: input.adviceKind === 'triage', summary: input.adviceKind === 'summary' };
}

function valid(cards: Card[], errors: string[]): Card[] {
  return cards.filter((c) => {
    const ok = cardSchema.safeParse(c);
    if (!ok.success)
      errors.push(`card withheld, not valid CDS Hooks: ${ok.error.issues[0]?.message ?? 'invalid'}`);
    return ok.success;
  });
}

export async function decisionCards(
  deps: { publicBaseUrl: string; chartReview?: ChartReviewDeps },
  input: PipelineInput,
  d: CardDecision,
  notes: DecisionNotes,
): Promise<{ cards: Card[]; review?: ChartReviewOutcome }> {
  let review: ChartReviewOutcome | undefined;
  if (deps.chartReview && input.reviewScope === 'chart') {
    review = await chartReviewForView(deps.chartReview, {
      snapshot: d.snapshot,
      patient: `Patient/${input.patientId}`,
      at: input.at,
      findings: d.assessment.findings,
      serviceId: input.service,
      publicBaseUrl: deps.publicBaseUrl,
      modelLabel: modelLabel(d.advice),
      missing: notes.missing,
      retrievalFailed: d.retrievalFailed,
    });
    notes.errors.push(...review.errors);
  }
  const built = buildCards({
    serviceId: input.service,
    publicBaseUrl: deps.publicBaseUrl,
    patientId: input.patientId,
    encounterId: input.encounterId,
    assessment: review ? { ...d.assessment, findings: [...review.rest, ...review.grouped] } : d.assessment,
    ...(review ? { grouped: new Set(review.grouped) } : {}),
    triage: d.assessment.triage,
    advice: d.advice,
    triageCitations: d.triageCitations,
    missing: notes.missing,
    retrievalFailed: d.retrievalFailed,
    show: input.show ?? defaultPolicy(input),
  });
  const cards = valid([...built, ...(review?.cards.map((c) => c.card) ?? [])], notes.errors);
  return { cards, ...(review ? { review } : {}) };
}
