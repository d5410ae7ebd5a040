// The chart review's part of one decision: which scope a hook gets, and on patient-view the split of the
// review lines into two cards, after hiding what the clinician already overrode for this patient. The
// rule findings it folds in (AF without anticoagulation, NSAID with heart failure or kidney disease) get
// the same treatment as the review's own lines.
import type { ChartReviewAudit, SnoozeLookup } from '../audit/chart-review-snoozes.ts';
import { type ChartReviewCard, chartReviewCards } from '../cards/chart-review-cards.ts';
import type { DrugTable } from '../clinical/medication-review/drug-table.ts';
import { describeRefs } from '../clinical/medication-review/evidence-text.ts';
import type { ReviewScope } from '../clinical/medication-review/review.ts';
import { applySnoozes, type SnoozedItem } from '../clinical/medication-review/snooze.ts';
import type { ClinicalSnapshot, Finding, ReviewItem } from '../clinical/types.ts';

export interface ChartReviewDeps {
  table: DrugTable;
  snoozeDays: number;
  /** Earlier overrides for a patient; absent: nothing is hidden. */
  snoozes?: SnoozeLookup;
}

const SCOPES: Record<string, ReviewScope> = {
  'patient-view': 'chart',
  'order-select': 'drafts',
  'order-sign': 'drafts',
};

export function reviewScope(hook: string): ReviewScope | undefined {
  return SCOPES[hook];
}

/** Existing rule findings that belong on the chart-review cards. */
const FOLDED: Record<string, ReviewItem['group']> = {
  'afib-anticoagulation': 'care-gap',
  'nsaid-renal': 'medication-review',
};

function folded(s: ClinicalSnapshot, f: Finding): Finding & { review: ReviewItem } {
  const group = FOLDED[f.id]!;
  const evidence = describeRefs(s, f.evidence);
  const severity = group === 'care-gap' ? 'low' : f.severity === 'info' ? 'moderate' : 'high';
  return {
    ...f,
    detail: f.summary,
    review: {
      key: `${group}:${f.id}`,
      group,
      rule: f.id,
      severity,
      text: f.summary,
      evidenceText: evidence.join('; ') || 'see the record',
      fingerprint: [...evidence].sort().join('|'),
    },
  };
}

export interface ChartReviewOutcome {
  /** Findings that still get cards of their own. */
  rest: Finding[];
  /** The lines on the chart-review cards (shown, not hidden). */
  grouped: Finding[];
  cards: ChartReviewCard[];
  audit: ChartReviewAudit;
  errors: string[];
}

export async function chartReviewForView(
  deps: ChartReviewDeps,
  args: {
    snapshot: ClinicalSnapshot;
    patient: string;
    at: Date;
    findings: Finding[];
    serviceId: string;
    publicBaseUrl: string;
    modelLabel: string;
  },
): Promise<ChartReviewOutcome> {
  const lines: Array<Finding & { review: ReviewItem }> = [];
  const rest: Finding[] = [];
  for (const f of args.findings) {
    if (f.review) lines.push({ ...f, review: f.review });
    else if (FOLDED[f.id]) lines.push(folded(args.snapshot, f));
    else rest.push(f);
  }
  const errors: string[] = [];
  let snoozed: SnoozedItem[] = [];
  if (deps.snoozes && lines.length > 0) {
    try {
      snoozed = await deps.snoozes(args.patient, new Date(args.at.getTime() - deps.snoozeDays * 86_400_000));
    } catch (err) {
      // Without the earlier feedback every item is shown: repeating an item is safer than hiding one.
      errors.push(`chart-review feedback could not be read: ${(err as Error).message}`);
    }
  }
  const { shown, hidden } = applySnoozes(lines, snoozed);
  const cards = chartReviewCards({
    serviceId: args.serviceId,
    publicBaseUrl: args.publicBaseUrl,
    lines: shown,
    hidden,
    snoozeDays: deps.snoozeDays,
    drugTableVersion: deps.table.version,
    modelLabel: args.modelLabel,
  });
  return {
    rest,
    grouped: shown,
    cards,
    errors,
    audit: {
      drugTableVersion: deps.table.version,
      snoozeDays: deps.snoozeDays,
      shown: cards.flatMap((c) => c.items.map((i) => ({ ...i, cardId: c.card.uuid }))),
      hidden: hidden.map((h) => ({ ...h.item, reason: h.reason, snoozedAt: h.snoozedAt })),
    },
  };
}
