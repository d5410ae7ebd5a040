// Reads earlier chart-review overrides for a patient from the audit trail (the same reader serves SQLite
// and PostgreSQL): records with an overridden card, their feedback, and the items each card showed.
import { isSnoozeReason, type SnoozedItem } from '../clinical/medication-review/snooze.ts';
import type { ReviewItem } from '../clinical/types.ts';
import type { AuditReader } from './types.ts';

export type SnoozeLookup = (patient: string, since: Date) => Promise<SnoozedItem[]>;

/** What a record keeps about its chart review (AuditRecordInput.chartReview). */
export interface ChartReviewAudit {
  drugTableVersion: string;
  snoozeDays: number;
  shown: Array<ReviewItem & { cardId: string }>;
  hidden: Array<ReviewItem & { reason: string; snoozedAt: string }>;
}

export function snoozesFromAudit(reader: Pick<AuditReader, 'overriddenSince'>): SnoozeLookup {
  return async (patient, since) => {
    const out: SnoozedItem[] = [];
    for (const detail of await reader.overriddenSince(patient, since)) {
      const review = (detail.record as { chartReview?: ChartReviewAudit }).chartReview;
      if (!review) continue;
      for (const f of detail.feedback) {
        const code = f.overrideReason?.code;
        if (f.outcome !== 'overridden' || !isSnoozeReason(code) || f.receivedAt < since.toISOString())
          continue;
        for (const item of review.shown.filter((i) => i.cardId === f.cardId))
          out.push({
            key: item.key,
            fingerprint: item.fingerprint,
            ...(item.labValue !== undefined ? { labValue: item.labValue } : {}),
            reason: code,
            at: f.receivedAt,
          });
      }
    }
    return out;
  };
}
