// Readings → series: one value becomes a normalised Measurement, the readings of one Observation are
// checked against each other (oxygen, diastolic above systolic), and each kind's readings are sorted
// once into the newest usable value and its history.
import type { Quantity } from '@medplum/fhirtypes';
import { SYSTEM } from '../codes.ts';
import { round } from '../format.ts';
import { implausibleReason, WINDOW_MS } from '../observation-kinds.ts';
import type { LabKind, Measurement, ResourceRef, Series, VitalKind } from '../types.ts';
import { type MeasureKind, toCanonical } from '../units.ts';
import type { ReadingAt } from './observation-variants.ts';

/** A measurement plus the sort keys used while building series (kept apart so nothing is copied later). */
export interface Reading {
  m: Measurement;
  t: number;
  kind: MeasureKind;
  group: 'vital' | 'lab';
  updated: number;
}

/** One value as the Observation (or component) states it. */
export interface ReadingValue {
  quantity?: Quantity;
  integer?: number;
  letter?: string;
}

function quantityUnit(q: Quantity): string | undefined {
  if (q.code && (q.system === SYSTEM.ucum || !q.unit)) return q.code;
  return q.unit ?? q.code;
}

/**
 * One value as a reading in the canonical unit. A value in an unknown unit, or an implausible one, is kept
 * (marked, never scored) with a warning; an AVPU answer that is no known letter is dropped with a warning.
 */
export function toReading(
  kind: MeasureKind,
  group: 'vital' | 'lab',
  at: ReadingAt,
  value: ReadingValue,
  warnings: string[],
): Reading | undefined {
  const { source, t, iso, updated } = at;
  if (kind === 'avpu') {
    if (!value.letter) {
      warnings.push(`${source}: consciousness level is not a recognised AVPU/ACVPU answer; ignored.`);
      return undefined;
    }
    return { kind, group, t, updated, m: { value: 0, unit: '{ACVPU}', at: iso, source, code: value.letter } };
  }
  const raw = value.quantity?.value ?? value.integer;
  if (typeof raw !== 'number') return undefined;
  const conv = toCanonical(kind, raw, value.quantity ? quantityUnit(value.quantity) : undefined);
  if (!conv.ok) {
    warnings.push(`${source}: ${conv.reason}; not scored.`);
    const m = { value: raw, unit: value.quantity?.unit ?? '', at: iso, source, implausible: conv.reason };
    return { kind, group, t, updated, m };
  }
  const val = kind === 'temperature' ? round(conv.value, 1) : conv.value;
  const implausible = implausibleReason(kind, val, conv.unit);
  if (implausible) warnings.push(`${source}: ${implausible}; not scored.`);
  const m: Measurement = { value: val, unit: conv.unit, at: iso, source };
  if (implausible) m.implausible = implausible;
  return { kind, group, t, updated, m };
}

/** A pulse-oximetry reading taken with oxygen flow > 0 or FiO2 > 21 % in the same Observation is "on oxygen". */
export function markOxygen(readings: Reading[]): void {
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

export function markImpossibleBloodPressure(readings: Reading[], warnings: string[]): void {
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

/** A warning for each other plausible reading at the same time as the latest: a duplicate or a conflict. */
function warnSameTime(kind: MeasureKind, list: Reading[], warnings: string[]): void {
  const latest = list[0].m;
  for (let i = 1; i < list.length && list[i].t === list[0].t; i++) {
    const other = list[i].m;
    if (other.implausible || other.source === latest.source) continue;
    warnings.push(
      other.value === latest.value && other.code === latest.code
        ? `${other.source} duplicates ${latest.source} (${kind} at the same time); counted once.`
        : `${other.source} and ${latest.source} give different ${kind} values at the same time; the most recently updated is used.`,
    );
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
  if (list.length === 0 || list[0].t < windowStart) return { history: list.map((r) => r.m) };
  if (list[0].m.implausible) {
    const unusable = list[0].m;
    if (list.some((r, i) => i > 0 && r.t >= windowStart && !r.m.implausible))
      warnings.push(
        `${unusable.source}: the newest ${kind} is not usable, so older ${kind} readings are not scored either.`,
      );
    return { history: list.map((r) => r.m), unusable };
  }
  warnSameTime(kind, list, warnings);
  return { latest: list[0].m, history: list.slice(1).map((r) => r.m) };
}

/** Every reading grouped by kind into a series, vitals and labs apart (kinds in order of first reading). */
export function seriesByKind(
  readings: Reading[],
  atMs: number,
  warnings: string[],
): { vitals: Partial<Record<VitalKind, Series>>; labs: Partial<Record<LabKind, Series>> } {
  const byKind = new Map<MeasureKind, Reading[]>();
  for (const r of readings) {
    const list = byKind.get(r.kind);
    if (list) list.push(r);
    else byKind.set(r.kind, [r]);
  }
  const vitals: Partial<Record<VitalKind, Series>> = {};
  const labs: Partial<Record<LabKind, Series>> = {};
  for (const [kind, list] of byKind) {
    const series = toSeries(kind, list, atMs, warnings);
    if (list[0].group === 'vital') vitals[kind as VitalKind] = series;
    else labs[kind as LabKind] = series;
  }
  return { vitals, labs };
}
