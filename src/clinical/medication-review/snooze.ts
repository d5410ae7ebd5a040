// Feedback that is remembered: a chart-review item a clinician overrode for this patient as "already
// addressed" or "not relevant" stays hidden while its evidence is unchanged. A new drug, a new dose or
// strength, a new condition (all in the fingerprint) or a worse lab value shows it again.
import type { ReviewItem } from '../types.ts';

/** The override reasons that hide an item (codes of the cards' overrideReasons). */
export const SNOOZE_REASONS = ['already-addressed', 'not-relevant'] as const;
export type SnoozeReason = (typeof SNOOZE_REASONS)[number];

export function isSnoozeReason(code: string | undefined): code is SnoozeReason {
  return (SNOOZE_REASONS as readonly string[]).includes(code ?? '');
}

/** An item as it was overridden: what it looked like then, why, and when. */
export interface SnoozedItem {
  key: string;
  fingerprint: string;
  labValue?: number;
  reason: SnoozeReason;
  /** ISO-8601 time of the override. */
  at: string;
}

export interface HiddenItem {
  item: ReviewItem;
  reason: SnoozeReason;
  snoozedAt: string;
}

function stillSnoozed(item: ReviewItem, s: SnoozedItem): boolean {
  if (s.key !== item.key || s.fingerprint !== item.fingerprint) return false;
  // A lab that got worse since the override is new evidence (every drug–lab rule here is "too high").
  if (item.labValue !== undefined && (s.labValue === undefined || item.labValue > s.labValue)) return false;
  return true;
}

/** Splits items into those to show and those hidden by an earlier override (newest override wins). */
export function applySnoozes<T extends { review?: ReviewItem }>(
  lines: T[],
  snoozed: readonly SnoozedItem[],
): { shown: T[]; hidden: Array<HiddenItem & { line: T }> } {
  const newestFirst = [...snoozed].sort((a, b) => b.at.localeCompare(a.at));
  const shown: T[] = [];
  const hidden: Array<HiddenItem & { line: T }> = [];
  for (const line of lines) {
    const item = line.review;
    const s = item ? newestFirst.find((x) => stillSnoozed(item, x)) : undefined;
    if (item && s) hidden.push({ item, reason: s.reason, snoozedAt: s.at, line });
    else shown.push(line);
  }
  return { shown, hidden };
}
