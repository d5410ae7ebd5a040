// The chart-level evaluation behind `npm run eval:charts`: patient-view and order-select over a real-shaped
// chart dated as current, keeping what a clinician would read (card summaries and each review line with its
// evidence and cited passage). order-select re-drafts each active medicine in turn against the rest.

import { randomUUID } from 'node:crypto';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { ChartReviewAudit } from '../audit/chart-review-snoozes.ts';
import { FINDING_EXTENSION } from '../cards/card-parts.ts';
import { isActiveMedicationStatus } from '../clinical/status.ts';
import type { Finding, ReviewItem } from '../clinical/types.ts';
import { shiftChartToNow } from '../demo-fhir/chart-dates.ts';
import { resourcesFromBundle } from '../fhir/bundle-file.ts';
import type { RunPipeline } from '../pipeline/types.ts';

export interface ChartLine
  extends Pick<ReviewItem, 'key' | 'group' | 'rule' | 'severity' | 'text' | 'evidenceText'> {
  /** The cited passage (chunk id) and its quote, or undefined when nothing was cited. */
  citation?: { chunkId: string; quote: string };
}

export interface CardLine {
  kind: string;
  indicator: string;
  summary: string;
  cited: boolean;
}

export interface ChartResult {
  file: string;
  patient: { ageYears: number | null; sex: string };
  medications: string[];
  view: { cards: CardLine[]; lines: ChartLine[] };
  orders: Array<{ draft: string; alerts: CardLine[] }>;
}

type WireCard = { summary: string; indicator: string; detail?: string; extension?: Record<string, unknown> };

function cardLine(c: unknown): CardLine {
  const w = c as WireCard;
  return {
    kind: String(w.extension?.[FINDING_EXTENSION] ?? 'unknown'),
    indicator: w.indicator,
    summary: w.summary,
    cited: /(^|\n)\s*> — \[/.test(w.detail ?? ''),
  };
}

function citationFor(item: ReviewItem, findings: Finding[]): ChartLine['citation'] {
  const f = findings.find((x) => x.review?.key === item.key || `${item.group}:${x.id}` === item.key);
  const c = f?.citations[0];
  return c ? { chunkId: c.chunkId, quote: c.quote } : undefined;
}

const isActiveMed = (r: Resource) =>
  (r.resourceType === 'MedicationRequest' || r.resourceType === 'MedicationStatement') &&
  isActiveMedicationStatus(r.resourceType, r.status ?? '');

export async function evaluateChart(
  pipeline: RunPipeline,
  file: string,
  bundle: Bundle,
  now: Date,
): Promise<ChartResult> {
  const { resources } = resourcesFromBundle(shiftChartToNow(bundle, now));
  const patient = resources.find((r) => r.resourceType === 'Patient');
  if (!patient?.id) throw new Error(`${file}: no Patient`);
  const base = {
    channel: 'cds-hooks' as const,
    service: 'citecare-patient-view',
    hook: 'patient-view',
    patientId: patient.id,
    at: now,
  };
  const view = await pipeline({
    ...base,
    hookInstance: randomUUID(),
    resources,
    adviceKind: 'summary',
    reviewScope: 'chart',
  });
  const review = view.audit.chartReview as ChartReviewAudit | undefined;
  const lines: ChartLine[] = (review?.shown ?? []).map((i) => ({
    key: i.key,
    group: i.group,
    rule: i.rule,
    severity: i.severity,
    text: i.text,
    evidenceText: i.evidenceText,
    citation: citationFor(i, view.assessment.findings),
  }));

  const meds = resources.filter(isActiveMed);
  const orders: ChartResult['orders'] = [];
  for (const m of meds) {
    const draft = { ...m, id: `draft-${m.id}`, status: 'draft' } as Resource;
    const res = await pipeline({
      ...base,
      service: 'citecare-order-select',
      hook: 'order-select',
      hookInstance: randomUUID(),
      resources: resources.filter((r) => r !== m),
      draftOrders: [draft],
      selections: [`${draft.resourceType}/${draft.id}`],
      reviewScope: 'drafts',
    });
    const display = res.snapshot.medications.find((x) => x.draft)?.display ?? draft.id ?? 'draft';
    orders.push({ draft: display, alerts: res.cards.map(cardLine) });
  }
  return {
    file,
    patient: { ageYears: view.snapshot.patient.ageYears, sex: view.snapshot.patient.sex },
    medications: view.snapshot.medications.map(
      (m) => `${m.display}${m.since ? ` (since ${m.since.slice(0, 10)})` : ''}`,
    ),
    view: { cards: view.cards.map(cardLine), lines },
    orders,
  };
}
