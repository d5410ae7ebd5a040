// Vital-sign and lab Observations → normalised series. One pass over the observations, then one sort per
// kind: cost is linear in the number of readings (plus the per-kind sort).
import type { Observation, ObservationComponent, Quantity } from '@medplum/fhirtypes';
import { LOINC, LOINC_ANSWER, LOINC_VARIANT, SYSTEM } from '../codes.ts';
import { round } from '../format.ts';
import {
  GESTATIONAL_AGE_CODES,
  implausibleReason,
  LOINC_KIND,
  PANEL_CODES,
  WINDOW_MS,
} from '../observation-kinds.ts';
import type { ClinicalSnapshot, LabKind, Measurement, ResourceRef, Series, VitalKind } from '../types.ts';
import { type MeasureKind, toCanonical } from '../units.ts';
import { refOf, timeOf } from './fhir-read.ts';
import {
  acvpuLetter,
  codeLabel,
  GcsParts,
  gcsComponent,
  gestationalWeeks,
  isAcuteConfusionFinding,
  notUnderstood,
} from './observation-variants.ts';

/** A measurement plus the sort keys used while building series (kept apart so nothing is copied later). */
interface Reading {
  m: Measurement;
  t: number;
  kind: MeasureKind;
  group: 'vital' | 'lab';
  updated: number;
}

const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** ISO-8601 UTC text for a time; the sender's own text is kept when it already is UTC ISO (saves a Date). */
function isoOf(raw: string | undefined, t: number): string {
  return raw !== undefined && UTC_ISO.test(raw) ? raw : new Date(t).toISOString();
}

export interface ObservationFacts {
  vitals: Partial<Record<VitalKind, Series>>;
  labs: Partial<Record<LabKind, Series>>;
  /** Latest pregnancy-status observation before `at`, if any. */
  pregnancyStatus?: { pregnant: boolean; source: ResourceRef; t: number };
  /** Latest gestational age (weeks) before `at`, if any. */
  gestationalAge?: { weeks: number; source: ResourceRef; t: number };
  /** Vital-sign observations whose code is not read (shown, never a silent gap). */
  notUnderstood: NonNullable<ClinicalSnapshot['notUnderstood']>;
}

const SKIP_STATUS: ReadonlySet<string> = new Set(['entered-in-error', 'cancelled']);

function loincCodes(codings: Observation['code']['coding']): string[] {
  const out: string[] = [];
  for (const c of codings ?? []) {
    if (c.code && (c.system === SYSTEM.loinc || c.system === undefined)) out.push(c.code);
  }
  return out;
}

function effectiveTime(o: Observation): { t: number; raw: string | undefined } {
  const raw = o.effectiveDateTime ?? o.effectiveInstant ?? o.effectivePeriod?.end ?? o.effectivePeriod?.start;
  const t = timeOf(raw);
  return Number.isNaN(t) ? { t: timeOf(o.issued), raw: o.issued } : { t, raw };
}

function quantityUnit(q: Quantity): string | undefined {
  if (q.code && (q.system === SYSTEM.ucum || !q.unit)) return q.code;
  return q.unit ?? q.code;
}

export function buildObservationFacts(
  observations: readonly Observation[],
  at: Date,
  warnings: string[],
  updatedOf: (o: Observation) => number,
): ObservationFacts {
  const atMs = at.getTime();
  const readings: Reading[] = [];
  let future = 0;
  let undated = 0;
  let pregnancyStatus: ObservationFacts['pregnancyStatus'];
  let gestationalAge: ObservationFacts['gestationalAge'];
  const unread: ObservationFacts['notUnderstood'] = [];
  const gcsParts = new GcsParts();

  const push = (
    kind: MeasureKind,
    group: 'vital' | 'lab',
    source: ResourceRef,
    t: number,
    iso: string,
    updated: number,
    value: { quantity?: Quantity; integer?: number; letter?: string },
  ) => {
    if (kind === 'avpu') {
      if (!value.letter) {
        warnings.push(`${source}: consciousness level is not a recognised AVPU/ACVPU answer; ignored.`);
        return;
      }
      readings.push({
        kind,
        group,
        t,
        updated,
        m: { value: 0, unit: '{ACVPU}', at: iso, source, code: value.letter },
      });
      return;
    }
    const raw = value.quantity?.value ?? value.integer;
    if (typeof raw !== 'number') return;
    const conv = toCanonical(kind, raw, value.quantity ? quantityUnit(value.quantity) : undefined);
    if (!conv.ok) {
      readings.push({
        kind,
        group,
        t,
        updated,
        m: { value: raw, unit: value.quantity?.unit ?? '', at: iso, source, implausible: conv.reason },
      });
      warnings.push(`${source}: ${conv.reason}; not scored.`);
      return;
    }
    const val = kind === 'temperature' ? round(conv.value, 1) : conv.value;
    const implausible = implausibleReason(kind, val, conv.unit);
    if (implausible) warnings.push(`${source}: ${implausible}; not scored.`);
    const m: Measurement = { value: val, unit: conv.unit, at: iso, source };
    if (implausible) m.implausible = implausible;
    readings.push({ kind, group, t, updated, m });
  };

  for (const o of observations) {
    const source = refOf(o);
    if (!source || SKIP_STATUS.has(o.status)) continue;
    const { t, raw } = effectiveTime(o);
    if (isAcuteConfusionFinding(o) && !Number.isNaN(t) && t <= atMs) {
      push('avpu', 'vital', source, t, isoOf(raw, t), updatedOf(o), { letter: 'C' });
      continue;
    }
    // Only a current reading matters: an unreadable one from last year is not a gap in today's vitals.
    const unknown = t <= atMs && atMs - t <= WINDOW_MS.heartRate ? notUnderstood(o, source) : undefined;
    if (unknown) {
      unread.push(unknown);
      warnings.push(
        `${source}: not understood: ${codeLabel(unknown)}${unknown.display ? ` (${unknown.display})` : ''}; a vital sign CiteCare cannot read, not counted as measured or as missing.`,
      );
      continue;
    }
    const codes = loincCodes(o.code?.coding);
    if (codes.length === 0) continue;
    const relevant = codes.some(
      (c) =>
        LOINC_KIND.has(c) ||
        PANEL_CODES.has(c) ||
        c === LOINC.pregnancyStatus ||
        gcsComponent(c) !== undefined ||
        GESTATIONAL_AGE_CODES.has(c) ||
        c === LOINC_VARIANT.deliveryDateEstimated,
    );
    const hasComponents = (o.component?.length ?? 0) > 0;
    if (!relevant && !hasComponents) continue;
    if (Number.isNaN(t)) {
      undated++;
      continue;
    }
    if (t > atMs) {
      future++;
      continue;
    }
    const updated = updatedOf(o);
    const iso = isoOf(raw, t);
    const weeks = gestationalWeeks(o, codes, atMs);
    if (weeks !== undefined) {
      if (!gestationalAge || t > gestationalAge.t) gestationalAge = { weeks, source, t };
      continue;
    }
    for (const code of codes) gcsParts.add(code, o, { source, t, iso, updated });
    if (codes.includes(LOINC.pregnancyStatus)) {
      const pregnant = (o.valueCodeableConcept?.coding ?? []).some((c) => c.code === LOINC_ANSWER.pregnant);
      if (!pregnancyStatus || t > pregnancyStatus.t) pregnancyStatus = { pregnant, source, t };
      continue;
    }
    // A plain array: an observation maps to one or two kinds, and this loop runs for every reading.
    const seen: MeasureKind[] = [];
    for (const code of codes) {
      const k = LOINC_KIND.get(code);
      if (!k || seen.includes(k.kind)) continue;
      seen.push(k.kind);
      push(k.kind, k.group, source, t, iso, updated, {
        quantity: o.valueQuantity,
        integer: o.valueInteger,
        letter: k.kind === 'avpu' ? acvpuLetter(o) : undefined,
      });
    }
    for (const comp of o.component ?? ([] as ObservationComponent[])) {
      for (const code of loincCodes(comp.code?.coding)) gcsParts.add(code, comp, { source, t, iso, updated });
      for (const code of loincCodes(comp.code?.coding)) {
        const k = LOINC_KIND.get(code);
        if (!k || seen.includes(k.kind)) continue;
        seen.push(k.kind);
        push(k.kind, k.group, source, t, iso, updated, {
          quantity: comp.valueQuantity,
          integer: comp.valueInteger,
          letter: k.kind === 'avpu' ? acvpuLetter(comp) : undefined,
        });
      }
    }
  }
  for (const g of gcsParts.totals()) {
    if (readings.some((r) => r.kind === 'gcs' && r.t === g.t)) continue;
    push('gcs', 'vital', g.source, g.t, g.iso, g.updated, { integer: g.total });
  }
  if (future > 0) warnings.push(`${future} observation(s) dated after the assessment time were ignored.`);
  if (undated > 0) warnings.push(`${undated} observation(s) without an effective time were ignored.`);

  markOxygen(readings);
  markImpossibleBloodPressure(readings, warnings);

  const byKind = new Map<MeasureKind, Reading[]>();
  for (const r of readings) {
    const list = byKind.get(r.kind);
    if (list) list.push(r);
    else byKind.set(r.kind, [r]);
  }
  const vitals: ObservationFacts['vitals'] = {};
  const labs: ObservationFacts['labs'] = {};
  for (const [kind, list] of byKind) {
    const series = toSeries(kind, list, atMs, warnings);
    if (list[0].group === 'vital') vitals[kind as VitalKind] = series;
    else labs[kind as LabKind] = series;
  }
  return {
    vitals,
    labs,
    notUnderstood: unread,
    ...(pregnancyStatus ? { pregnancyStatus } : {}),
    ...(gestationalAge ? { gestationalAge } : {}),
  };
}

/** A pulse-oximetry reading taken with oxygen flow > 0 or FiO2 > 21 % in the same Observation is "on oxygen". */
function markOxygen(readings: Reading[]): void {
  const o2BySource = new Map<ResourceRef, boolean>();
  for (const { kind, m } of readings) {
    if (m.implausible) continue;
    if ((kind === 'oxygenFlow' && m.value > 0) || (kind === 'inspiredOxygen' && m.value > 21)) {
      o2BySource.set(m.source, true);
      m.onOxygen = true;
    }
  }
  for (const { kind, m } of readings) if (kind === 'spo2' && o2BySource.get(m.source)) m.onOxygen = true;
}

function markImpossibleBloodPressure(readings: Reading[], warnings: string[]): void {
  const sbp = new Map<ResourceRef, Measurement>();
  for (const { kind, m } of readings) if (kind === 'systolicBP' && !m.implausible) sbp.set(m.source, m);
  for (const { kind, m } of readings) {
    if (kind !== 'diastolicBP' || m.implausible) continue;
    const s = sbp.get(m.source);
    if (s && m.value >= s.value) {
      const reason = `diastolic ${round(m.value)} mm[Hg] is not below systolic ${round(s.value)} mm[Hg]`;
      m.implausible = reason;
      s.implausible = reason;
      warnings.push(`${m.source}: ${reason}; not scored.`);
    }
  }
}

function toSeries(kind: MeasureKind, list: Reading[], atMs: number, warnings: string[]): Series {
  // Newest first; at equal times the most recently updated record wins, then the reference, so the
  // choice is deterministic whatever the input order.
  list.sort(
    (a, b) =>
      b.t - a.t || b.updated - a.updated || (a.m.source < b.m.source ? -1 : a.m.source > b.m.source ? 1 : 0),
  );
  // Only the newest reading in the window can be the latest: when it is implausible the kind has no
  // latest value (an older, normal reading would hide an apnoea or a bradycardia that was really recorded).
  const windowStart = atMs - WINDOW_MS[kind];
  let latestIdx = -1;
  if (list.length > 0 && list[0].t >= windowStart) {
    if (list[0].m.implausible) {
      const unusable = list[0].m;
      if (list.some((r, i) => i > 0 && r.t >= windowStart && !r.m.implausible))
        warnings.push(
          `${unusable.source}: the newest ${kind} is not usable, so older ${kind} readings are not scored either.`,
        );
      return { history: list.map((r) => r.m), unusable };
    }
    latestIdx = 0;
  }
  const history: Measurement[] = [];
  for (let i = 0; i < list.length; i++) if (i !== latestIdx) history.push(list[i].m);
  if (latestIdx >= 0) {
    const latest = list[latestIdx].m;
    for (let i = latestIdx + 1; i < list.length && list[i].t === list[latestIdx].t; i++) {
      const other = list[i].m;
      if (other.implausible || other.source === latest.source) continue;
      warnings.push(
        other.value === latest.value && other.code === latest.code
          ? `${other.source} duplicates ${latest.source} (${kind} at the same time); counted once.`
          : `${other.source} and ${latest.source} give different ${kind} values at the same time; the most recently updated is used.`,
      );
    }
    return { latest, history };
  }
  return { history };
}
