// The chart review's part of one decision (for a service whose review scope is 'chart', i.e.
// patient-view): the split of the review lines into two cards, after hiding what the clinician already
// overrode for this patient. The rule findings it folds in (AF without anticoagulation, NSAID with heart
// failure or kidney disease) get the same treatment as the review's own lines.
import type { ChartReviewAudit, SnoozeLookup } from '../audit/chart-review-snoozes.ts';
import { type ChartReviewCard, chartReviewCards, type ReviewLine } from '../cards/chart-review-cards.ts';
import type { DrugTable } from '../clinical/medication-review/drug-table.ts';
import { describeRefs } from '../clinical/medication-review/evidence-text.ts';
import { applySnoozes, type SnoozedItem } from '../clinical/medication-review/snooze.ts';
import type { ClinicalSnapshot, Finding, ReviewItem } from '../clinical/types.ts';

export interface ChartReviewDeps {
  table: DrugTable;
  snoozeDays: number;
  /** Earlier overrides for a patient; absent: nothing is hidden. */
  snoozes?: SnoozeLookup;
}

/** Existing rule findings that belong on the chart-review cards. */
const FOLDED: Record<string, ReviewItem['group']> = {
  'afib-anticoagulation': 'care-gap',
  'nsaid-renal': 'medication-review',
};

/** A line of the review, with the finding behind it (kept out of the findings' own cards). */
type FindingLine = ReviewLine & { finding: Finding };

function foldedItem(s: ClinicalSnapshot, f: Finding, group: ReviewItem['group']): ReviewItem {
  const evidence = describeRefs(s, f.evidence);
  return {
    key: `${group}:${f.id}`,
    group,
    rule: f.id,
    severity: group === 'care-gap' ? 'low' : f.severity === 'info' ? 'moderate' : 'high',
    text: f.summary,
    evidenceText: evidence.join('; ') || 'see the record',
    fingerprint: [...evidence].sort().join('|'),
  };
}

/**
 * The review's line for a finding, or none. A review finding's detail is its line followed by its
 * evidence sentence (src/clinical/medication-review/chart-review.ts), which the card shows apart; a
 * folded rule's line is its summary.
 */
function lineOf(s: ClinicalSnapshot, f: Finding): FindingLine | undefined {
  const citation = f.citations[0];
  if (f.review) {
    const text = f.detail?.split('\nEvidence:')[0] ?? f.review.text;
    return { finding: f, review: f.review, text, ...(citation ? { citation } : {}) };
  }
  const group = FOLDED[f.id];
  if (!group) return undefined;
  return { finding: f, review: foldedItem(s, f, group), text: f.summary, ...(citation ? { citation } : {}) };
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
    missing: readonly string[];
    retrievalFailed: boolean;
  },
): Promise<ChartReviewOutcome> {
  const lines: FindingLine[] = [];
  const rest: Finding[] = [];
  for (const f of args.findings) {
    const line = lineOf(args.snapshot, f);
    if (line) lines.push(line);
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
    missing: args.missing,
    retrievalFailed: args.retrievalFailed,
  });
  return {
    rest,
    grouped: shown.map((l) => l.finding),
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
