// What rules say about a snapshot: findings with their suggestions and citations, and chart-review items.
import type { ResourceRef } from './snapshot-types.ts';

/** The one order of finding severity, most urgent first: assess, the cards and the model prompt list findings in it. */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Compares two findings by severity, most urgent first (a stable sort keeps rule order within one). */
export function bySeverity(a: { severity: Severity }, b: { severity: Severity }): number {
  return SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity);
}

/** A suggestion drawn from the fixed action catalogue (src/clinical/actions.ts). */
export interface CatalogueSuggestion {
  /** Catalogue key, e.g. 'order-lactate', 'remove-draft-order'. */
  action: string;
  label: string;
  /** For delete actions: the draft order's `Type/id`. */
  targetRef?: ResourceRef;
  isRecommended?: boolean;
}

export interface Citation {
  chunkId: string;
  title: string;
  issuer: string;
  year: number;
  url: string;
  section: string;
  /** An exact substring of the cited passage. */
  quote: string;
}

export interface Finding {
  /** Stable rule id, e.g. 'sepsis-screen', 'drug-allergy'. */
  id: string;
  severity: Severity;
  /** One sentence, under 140 characters. */
  summary: string;
  /** Longer explanation in Markdown (our own words). */
  detail?: string;
  evidence: ResourceRef[];
  /** Tags that drive guideline retrieval, e.g. ['sepsis', 'lactate']. */
  topics: string[];
  /** Extra retrieval query text. */
  query?: string;
  /**
   * Cite only a passage carrying this topic. A rule sets it when a near miss would mislead (a
   * penicillin passage for a sulfonamide allergy); with no such passage the card cites nothing.
   */
  citeOnly?: string;
  suggestions: CatalogueSuggestion[];
  /** Cite exactly this passage (a chunk id) instead of searching for one. */
  passage?: string;
  /** Set on chart-review lines (medication review, care gaps): what the cards and snoozes need. */
  review?: ReviewItem;
  /** Filled by the pipeline from retrieval; empty until then. */
  citations: Citation[];
}

/** One order of severity for chart-review lines: high first. */
export const REVIEW_SEVERITIES = ['high', 'moderate', 'low'] as const;
export type ReviewSeverity = (typeof REVIEW_SEVERITIES)[number];

/** One problem found by the chart review: a medication-review line or a care gap. */
export interface ReviewItem {
  /** Stable across reviews of the same problem, e.g. `interaction:digoxin-rate-control:digoxin+verapamil`. */
  key: string;
  group: 'medication-review' | 'care-gap';
  /** The table row or gap rule behind it. */
  rule: string;
  severity: ReviewSeverity;
  /** One line in our own words: the problem and what to do. */
  text: string;
  /** Drug names, lab values and dates a clinician can check (never raw resource ids). */
  evidenceText: string;
  /** What the evidence was (drugs with strength and dose, conditions): a change shows the item again. */
  fingerprint: string;
  /** The lab value behind a drug–lab line: a worse value shows a hidden item again. */
  labValue?: number;
  /** The draft order involved (order hooks). */
  draftRef?: ResourceRef;
}
