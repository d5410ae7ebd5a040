// Chart review as findings: medication-review lines and care gaps become Findings that carry their
// ReviewItem (for the chart-review cards, snoozes and the audit record) and cite exactly their passage.
import { suggest } from '../actions.ts';
import { careGaps } from '../care-gaps/care-gaps.ts';
import type { DrugTable } from '../medication-review/drug-table.ts';
import { type ReviewLine, type ReviewScope, reviewMedications } from '../medication-review/review.ts';
import { reviewMed } from '../medication-review/review-meds.ts';
import type { RuleContext } from '../rules/context.ts';
import { finding } from '../rules/context.ts';
import type { Finding, ReviewSeverity, Severity } from '../types.ts';

export const CHART_REVIEW_FINDINGS = { medications: 'medication-review', gaps: 'care-gap' } as const;

export const SEVERITY_OF: Record<ReviewSeverity, Severity> = {
  high: 'warning',
  moderate: 'info',
  low: 'info',
};

/** Order-hook rules that already alert on a draft: the review does not repeat their pairs. */
const ORDER_RULES = new Set(['drug-interaction', 'beers-criteria', 'duplicate-therapy']);

function toFinding(l: ReviewLine): Finding {
  const f = finding({
    id: l.item.group === 'care-gap' ? CHART_REVIEW_FINDINGS.gaps : CHART_REVIEW_FINDINGS.medications,
    severity: SEVERITY_OF[l.item.severity],
    summary: l.item.text,
    detail: `${l.item.text} ${l.advice}\nEvidence: ${l.item.evidenceText}.`,
    evidence: l.evidence,
    topics:
      l.item.group === 'care-gap' ? ['care-gap', 'diabetes'] : ['medication-review', 'drug-interaction'],
    query: l.item.text,
    suggestions: l.item.draftRef
      ? [
          suggest('remove-draft-order', {
            targetRef: l.item.draftRef,
            isRecommended: l.item.severity === 'high',
          }),
        ]
      : [],
  });
  return { ...f, passage: l.passage, review: l.item };
}

/**
 * The review for one snapshot. 'chart': every active medicine together plus care gaps (patient-view).
 * 'drafts': only problems a draft order is part of, minus pairs an existing order rule already raised.
 */
export function chartReview(
  ctx: RuleContext,
  table: DrugTable,
  scope: ReviewScope,
  existing: Finding[],
): Finding[] {
  const meds = (scope === 'chart' ? ctx.active : [...ctx.active, ...ctx.drafts]).map((m) =>
    reviewMed(m, table),
  );
  const lines = reviewMedications(ctx.snapshot, table, meds, scope);
  if (scope === 'chart') lines.push(...careGaps(ctx, meds));
  const raised = existing.filter((f) => ORDER_RULES.has(f.id));
  return lines
    .filter((l) => {
      if (scope !== 'drafts') return true;
      const refs = l.evidence.filter((e) => /^Medication(Request|Statement)\//.test(e));
      return !raised.some((f) => refs.every((r) => f.evidence.includes(r)));
    })
    .map(toFinding);
}
