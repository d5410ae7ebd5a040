// Acceptance, override and latency figures computed from records and their feedback. Pure: the
// stores select the rows, this turns them into numbers.
import type { AuditMetrics, AuditRecord, CardOutcome, FeedbackEvent, RateRow } from './types.ts';

/** Extension key under which the lead's card builder stores the finding id. */
export const FINDING_EXTENSION = 'org.citecare.finding';

/** The card type under which SMART triage decisions (one per assessment) are counted. */
const SMART_DECISION_TYPE = 'smart-triage-decision';

/** A card's type for the metrics: its finding id when the card carries one, else its summary. */
function cardType(card: unknown): string {
  if (card === null || typeof card !== 'object') return 'unknown';
  const c = card as { extension?: Record<string, unknown>; summary?: unknown };
  const ext = c.extension?.[FINDING_EXTENSION];
  if (typeof ext === 'string' && ext) return ext;
  if (ext && typeof ext === 'object') {
    const id =
      (ext as { id?: unknown; findingId?: unknown }).id ?? (ext as { findingId?: unknown }).findingId;
    if (typeof id === 'string' && id) return id;
  }
  return typeof c.summary === 'string' && c.summary ? c.summary : 'unknown';
}

export function cardUuid(card: unknown): string | undefined {
  const uuid = (card as { uuid?: unknown } | null)?.uuid;
  return typeof uuid === 'string' ? uuid : undefined;
}

/** The latest feedback per card decides its outcome (a card may get feedback more than once). */
export function latestOutcomes(feedback: FeedbackEvent[]): Map<string, FeedbackEvent> {
  const byCard = new Map<string, FeedbackEvent>();
  for (const f of [...feedback].sort((a, b) => a.seq - b.seq)) byCard.set(f.cardId, f);
  return byCard;
}

function overrideReasonLabel(f: FeedbackEvent): string {
  const r = f.overrideReason;
  return r?.display || r?.code || (f.userComment ? 'comment only' : 'no reason given');
}

/** Nearest-rank percentile over sorted values. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

interface Tally {
  cards: number;
  accepted: number;
  overridden: number;
}

function toRows(map: Map<string, Tally>): RateRow[] {
  return [...map.entries()]
    .map(([key, t]) => ({
      key,
      ...t,
      acceptanceRate: t.cards ? t.accepted / t.cards : null,
      overrideRate: t.cards ? t.overridden / t.cards : null,
    }))
    .sort((a, b) => b.cards - a.cards || a.key.localeCompare(b.key));
}

function bump(map: Map<string, Tally>, key: string, outcome: CardOutcome): void {
  const t = map.get(key) ?? { cards: 0, accepted: 0, overridden: 0 };
  t.cards += 1;
  if (outcome === 'accepted') t.accepted += 1;
  if (outcome === 'overridden') t.overridden += 1;
  map.set(key, t);
}

export function computeMetrics(records: AuditRecord[], feedback: FeedbackEvent[]): AuditMetrics {
  const latest = latestOutcomes(feedback);
  const byService = new Map<string, Tally>();
  const byCardType = new Map<string, Tally>();
  const byDay = new Map<string, Tally>();
  const reasons = new Map<string, number>();
  const latencies: number[] = [];
  let silentRecords = 0;
  let silentCards = 0;
  let cardsShown = 0;
  let modelRecords = 0;
  let fallbacks = 0;

  for (const r of records) {
    const total = r.timings?.total;
    if (typeof total === 'number' && Number.isFinite(total)) latencies.push(total);
    if (r.llm && r.llm.status !== 'disabled') {
      modelRecords += 1;
      if (r.fallback) fallbacks += 1;
    }
    // Silent-mode cards were never shown, so they have no outcome to count.
    if (r.silent) {
      silentRecords += 1;
      silentCards += r.cards?.length ?? 0;
      continue;
    }
    const day = new Date(r.time).toISOString().slice(0, 10);
    // The SMART app records one decision on the whole assessment, with the record id as cardId:
    // that record counts as one decision, whatever cards it holds.
    if (r.channel === 'smart-app' || latest.has(r.id)) {
      const outcome: CardOutcome = latest.get(r.id)?.outcome ?? 'none';
      cardsShown += 1;
      bump(byService, r.service, outcome);
      bump(byCardType, SMART_DECISION_TYPE, outcome);
      bump(byDay, day, outcome);
      continue;
    }
    for (const card of r.cards ?? []) {
      const uuid = cardUuid(card);
      const outcome: CardOutcome = (uuid && latest.get(uuid)?.outcome) || 'none';
      cardsShown += 1;
      bump(byService, r.service, outcome);
      bump(byCardType, cardType(card), outcome);
      bump(byDay, day, outcome);
    }
  }
  for (const f of latest.values()) {
    if (f.outcome !== 'overridden') continue;
    const label = overrideReasonLabel(f);
    reasons.set(label, (reasons.get(label) ?? 0) + 1);
  }
  latencies.sort((a, b) => a - b);
  return {
    records: records.length,
    silentRecords,
    silentCards,
    cardsShown,
    byService: toRows(byService),
    byCardType: toRows(byCardType),
    overrideReasons: [...reasons.entries()]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    modelFallback: {
      records: modelRecords,
      fallback: fallbacks,
      rate: modelRecords ? fallbacks / modelRecords : null,
    },
    latencyMs: {
      count: latencies.length,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
    },
    acceptanceOverTime: [...byDay.entries()]
      .map(([day, t]) => ({ day, ...t }))
      .sort((a, b) => a.day.localeCompare(b.day)),
  };
}
