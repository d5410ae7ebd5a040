// Chart-review cards for patient-view: at most one "Medication review" card (warning when any line is high
// severity) and at most one "Care gaps" card (info). Each line is one problem with its evidence (drug
// names, values and dates) and its cited passage, most severe first. Everything taken from a resource is
// escaped. The override reasons are the ones that fit a review, and two of them hide items for a while.
import { randomUUID } from 'node:crypto';
import type { HiddenItem } from '../clinical/medication-review/snooze.ts';
import { type Citation, REVIEW_SEVERITIES, type ReviewItem } from '../clinical/types.ts';
import {
  aboutLink,
  FINDING_EXTENSION,
  FINDING_SYSTEM,
  missingLine,
  OVERRIDE_REASON_SYSTEM,
  OVERRIDE_REASONS,
} from './card-parts.ts';
import { type Card, prune } from './card-schema.ts';
import { citationMarkdown, escapeMarkdown } from './markdown.ts';

export const REVIEW_OVERRIDE_CODES = ['already-addressed', 'not-relevant', 'benefit-outweighs-risk'] as const;
const REASON_TEXT: Record<string, string> = {
  'already-addressed': 'already addressed',
  'not-relevant': 'not relevant',
};
const SEVERITY_LABEL = { high: 'High', moderate: 'Moderate', low: 'Consider' } as const;

/** One line of a chart-review card. */
export interface ReviewLine {
  review: ReviewItem;
  /** The line as shown: the problem and what to do (the evidence comes from `review.evidenceText`). */
  text: string;
  /** The passage the line cites, when one was retrieved. */
  citation?: Citation;
}

export interface ChartReviewCardInput {
  serviceId: string;
  publicBaseUrl: string;
  /** Lines to show. */
  lines: ReviewLine[];
  hidden: HiddenItem[];
  snoozeDays: number;
  drugTableVersion: string;
  /** How the model took part (the cards are rules only, but every card says so). */
  modelLabel: string;
  /** Data that could not be had, stated on the card as on every other card. */
  missing: readonly string[];
  /** Whether guideline retrieval failed: an uncited line then says so instead of "no passage covers". */
  retrievalFailed: boolean;
}

export interface ChartReviewCard {
  card: Card;
  items: ReviewItem[];
}

const rank = (i: ReviewItem) => REVIEW_SEVERITIES.indexOf(i.severity);

const NO_PASSAGE =
  "   *No guideline passage in CiteCare's corpus covers this line: it rests on the record alone.*";
const NO_RETRIEVAL =
  '   *No guideline passage: guideline retrieval was unavailable, so this line rests on the record alone.*';

function lineMarkdown(n: number, l: ReviewLine, retrievalFailed: boolean): string {
  const parts = [
    `${n}. **${SEVERITY_LABEL[l.review.severity]}:** ${escapeMarkdown(l.text)}`,
    `   *Evidence:* ${escapeMarkdown(l.review.evidenceText)}`,
  ];
  parts.push(
    l.citation
      ? citationMarkdown(l.citation)
          .split('\n')
          .map((line) => `   ${line}`)
          .join('\n')
      : retrievalFailed
        ? NO_RETRIEVAL
        : NO_PASSAGE,
  );
  return parts.join('\n');
}

function hiddenNote(hidden: HiddenItem[], days: number): string {
  if (hidden.length === 0) return '';
  const by = new Map<string, number>();
  for (const h of hidden) by.set(h.reason, (by.get(h.reason) ?? 0) + 1);
  const why = [...by].map(([r, k]) => `${k} overridden as "${REASON_TEXT[r] ?? r}"`).join(', ');
  return `*${hidden.length} item${hidden.length === 1 ? '' : 's'} hidden: ${why} for this patient in the last ${days} days. Each returns if its evidence changes (a new drug, a new dose, a worse result).*`;
}

function reviewCard(
  input: ChartReviewCardInput,
  group: ReviewItem['group'],
  lines: ReviewLine[],
  hidden: HiddenItem[],
): ChartReviewCard | undefined {
  if (lines.length === 0 && hidden.length === 0) return undefined;
  const sorted = [...lines].sort((a, b) => rank(a.review) - rank(b.review));
  const high = sorted.filter((l) => l.review.severity === 'high').length;
  const meds = group === 'medication-review';
  const title = meds ? 'Medication review' : 'Care gaps';
  const summary =
    sorted.length === 0
      ? `${title}: nothing new (${hidden.length} hidden after earlier feedback)`
      : meds
        ? `${title}: ${sorted.length} problem${sorted.length === 1 ? '' : 's'} in the active medication list${high ? ` (${high} high severity)` : ''}`
        : `${title}: ${sorted.length} suggestion${sorted.length === 1 ? '' : 's'} to consider (not orders)`;
  const detail = [
    sorted.map((l, i) => lineMarkdown(i + 1, l, input.retrievalFailed)).join('\n\n'),
    hiddenNote(hidden, input.snoozeDays),
    `*CiteCare chart review · drug table ${escapeMarkdown(input.drugTableVersion)} · ${escapeMarkdown(input.modelLabel)}.*`,
    missingLine(input.missing),
  ]
    .filter(Boolean)
    .join('\n\n');
  const first = sorted[0]?.citation;
  const card = prune({
    uuid: randomUUID(),
    summary: summary.length < 140 ? summary : `${title}: ${sorted.length} items`,
    indicator: meds && high > 0 ? ('warning' as const) : ('info' as const),
    detail,
    source: {
      label: `CiteCare · ${first ? `${first.issuer} ${first.year}` : 'clinical rules'} · chart review`,
      url: first?.url ?? `${input.publicBaseUrl}/about/${input.serviceId}`,
      topic: { system: FINDING_SYSTEM, code: group, display: title },
    },
    overrideReasons: OVERRIDE_REASONS.filter((r) =>
      (REVIEW_OVERRIDE_CODES as readonly string[]).includes(r.code),
    ).map((r) => ({ system: OVERRIDE_REASON_SYSTEM, ...r })),
    links: [aboutLink(input)],
    extension: { [FINDING_EXTENSION]: group, 'org.citecare.drug-table': input.drugTableVersion },
  });
  return { card, items: sorted.map((l) => l.review) };
}

export function chartReviewCards(input: ChartReviewCardInput): ChartReviewCard[] {
  const out: ChartReviewCard[] = [];
  for (const group of ['medication-review', 'care-gap'] as const) {
    const c = reviewCard(
      input,
      group,
      input.lines.filter((l) => l.review.group === group),
      input.hidden.filter((h) => h.item.group === group),
    );
    if (c) out.push(c);
  }
  return out;
}
