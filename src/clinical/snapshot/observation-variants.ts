// The code variants of bedside observations that observations.ts reads (clinical-sources §4.1 notes):
// consciousness as a coded AVPU answer or as text only, GCS as three components, gestational age, and
// the check that turns a vital sign CiteCare cannot read into a visible "not understood" instead of a
// silent gap.
import type { Observation, ObservationComponent } from '@medplum/fhirtypes';
import {
  AVPU_ANSWERS,
  GCS_ANSWER_POINTS,
  LOINC,
  LOINC_KNOWN_UNSCORED,
  LOINC_VARIANT,
  SNOMED,
  SYSTEM,
} from '../codes.ts';
import { GCS_COMPONENTS, GESTATIONAL_AGE_CODES, LOINC_KIND, PANEL_CODES } from '../observation-kinds.ts';
import type { ClinicalSnapshot, ResourceRef } from '../types.ts';
import { textOf } from './fhir-read.ts';

export type AcvpuLetter = 'A' | 'C' | 'V' | 'P' | 'U';

/** The ACVPU letter of a consciousness answer: a known code first, else the answer's words. */
export function acvpuLetter(
  o: Pick<Observation, 'valueCodeableConcept' | 'valueString'>,
): AcvpuLetter | undefined {
  for (const c of o.valueCodeableConcept?.coding ?? []) {
    const l = c.code ? AVPU_ANSWERS[c.code] : undefined;
    if (l) return l;
  }
  const texts = [o.valueString ?? '', o.valueCodeableConcept?.text ?? ''];
  for (const c of o.valueCodeableConcept?.coding ?? []) texts.push(c.display ?? '');
  for (const raw of texts) {
    const text = raw.trim().toLowerCase();
    if (!text) continue;
    if (/^[acvpu]$/.test(text)) return text.toUpperCase() as AcvpuLetter;
    // Worst first: "confused but responds to voice" is C, "alert but confused" is C.
    if (/unrespons|no response|not responding/.test(text)) return 'U';
    if (/\bpain\b/.test(text)) return 'P';
    if (/voice|verbal/.test(text)) return 'V';
    if (/confus|disorient|delirium/.test(text)) return 'C';
    if (/\balert\b/.test(text)) return 'A';
  }
  return undefined;
}

/** An Observation that records acute confusion as a coded finding (SNOMED 130987000, §1.5.1): ACVPU C. */
export function isAcuteConfusionFinding(o: Observation): boolean {
  return (o.code?.coding ?? []).some((c) => c.system === SYSTEM.snomed && c.code === SNOMED.acuteConfusion);
}

/** Points of one GCS component: a number, or a LOINC answer code (§4.2). */
export function gcsPoints(
  v: Pick<ObservationComponent, 'valueQuantity' | 'valueInteger' | 'valueCodeableConcept'>,
) {
  if (typeof v.valueInteger === 'number') return v.valueInteger;
  if (typeof v.valueQuantity?.value === 'number') return v.valueQuantity.value;
  for (const c of v.valueCodeableConcept?.coding ?? []) {
    const p = c.code ? GCS_ANSWER_POINTS[c.code] : undefined;
    if (p !== undefined) return p;
  }
  return undefined;
}

/** Which GCS component a code is, if any. */
export function gcsComponent(code: string): 'eye' | 'verbal' | 'motor' | undefined {
  return (GCS_COMPONENTS as Record<string, 'eye' | 'verbal' | 'motor'>)[code];
}

/** Where and when one reading was taken: shared by every value an Observation carries. */
export interface ReadingAt {
  source: ResourceRef;
  t: number;
  iso: string;
  updated: number;
}

/** GCS components by observation time, summed into a total where all three were charted. */
export class GcsParts {
  private readonly byTime = new Map<number, ReadingAt & { points: Record<string, number> }>();

  add(code: string, v: Parameters<typeof gcsPoints>[0], at: ReadingAt): void {
    const part = gcsComponent(code);
    const points = part ? gcsPoints(v) : undefined;
    if (!part || points === undefined) return;
    const entry = this.byTime.get(at.t) ?? { ...at, points: {} };
    entry.points[part] = points;
    this.byTime.set(at.t, entry);
  }

  totals(): Array<ReadingAt & { total: number }> {
    const out: Array<ReadingAt & { total: number }> = [];
    for (const e of this.byTime.values()) {
      const { eye, verbal, motor } = e.points;
      if (eye !== undefined && verbal !== undefined && motor !== undefined)
        out.push({ source: e.source, t: e.t, iso: e.iso, updated: e.updated, total: eye + verbal + motor });
    }
    return out;
  }
}

const DAY_MS = 24 * 3_600_000;

/** Gestational age in weeks from a GA observation (weeks or days) or an estimated delivery date. */
export function gestationalWeeks(o: Observation, codes: readonly string[], atMs: number): number | undefined {
  if (codes.includes(LOINC_VARIANT.deliveryDateEstimated)) {
    const due = Date.parse(o.valueDateTime ?? '');
    if (Number.isNaN(due)) return undefined;
    const weeks = 40 - (due - atMs) / (7 * DAY_MS);
    return weeks >= 0 && weeks <= 45 ? Math.floor(weeks) : undefined;
  }
  if (!codes.some((c) => GESTATIONAL_AGE_CODES.has(c))) return undefined;
  const q = o.valueQuantity;
  if (typeof q?.value !== 'number') return undefined;
  const unit = (q.code ?? q.unit ?? 'wk').toLowerCase();
  const weeks = /^d/.test(unit) ? q.value / 7 : q.value;
  return weeks >= 0 && weeks <= 45 ? Math.floor(weeks) : undefined;
}

const KNOWN: ReadonlySet<string> = new Set([
  ...LOINC_KIND.keys(),
  ...PANEL_CODES,
  ...Object.keys(GCS_COMPONENTS),
  ...GESTATIONAL_AGE_CODES,
  ...LOINC_KNOWN_UNSCORED,
  LOINC_VARIANT.deliveryDateEstimated,
  LOINC.pregnancyStatus,
]);

function isVitalSign(o: Observation): boolean {
  return (o.category ?? []).some((cc) =>
    (cc.coding ?? []).some(
      (c) => c.code === 'vital-signs' && (c.system === undefined || c.system === SYSTEM.observationCategory),
    ),
  );
}

type NotUnderstood = NonNullable<ClinicalSnapshot['notUnderstood']>[number];

/**
 * A vital-sign Observation none of whose codes CiteCare reads: what to show instead of "missing". An
 * Observation with a known code (even one CiteCare deliberately does not score) is not reported.
 */
export function notUnderstood(o: Observation, source: ResourceRef): NotUnderstood | undefined {
  if (!isVitalSign(o)) return undefined;
  const codings = o.code?.coding ?? [];
  const known = (cs: ReadonlyArray<{ system?: string; code?: string }>) =>
    cs.some((c) => c.code && (c.system === SYSTEM.loinc || c.system === undefined) && KNOWN.has(c.code));
  // A panel is understood when its code or one of its members is read.
  if (known(codings) || (o.component ?? []).some((comp) => known(comp.code?.coding ?? []))) return undefined;
  const first = codings.find((c) => c.code);
  return {
    source,
    code: first?.code ?? '(no code)',
    system: first?.system ?? '(no system)',
    ...(textOf(o.code) ? { display: textOf(o.code) } : {}),
  };
}

/** "LOINC 12345-6" or "http://snomed.info/sct 123" for a warning line. */
export function codeLabel(n: Pick<NotUnderstood, 'code' | 'system'>): string {
  return n.system === SYSTEM.loinc
    ? `LOINC ${n.code}`
    : n.system === SYSTEM.snomed
      ? `SNOMED ${n.code}`
      : `${n.system} ${n.code}`;
}
