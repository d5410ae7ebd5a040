// Vital-sign and lab Observations → normalised series. One pass over the observations, then one sort per
// kind: cost is linear in the number of readings (plus the per-kind sort).
import type { Observation, ObservationComponent } from '@medplum/fhirtypes';
import { LOINC, LOINC_ANSWER, LOINC_VARIANT, SYSTEM } from '../codes.ts';
import { GESTATIONAL_AGE_CODES, LOINC_KIND, PANEL_CODES, WINDOW_MS } from '../observation-kinds.ts';
import type { ClinicalSnapshot, LabKind, ResourceRef, Series, VitalKind } from '../types.ts';
import type { MeasureKind } from '../units.ts';
import { refOf, timeOf } from './fhir-read.ts';
import {
  acvpuLetter,
  codeLabel,
  GcsParts,
  gcsComponent,
  gestationalWeeks,
  isAcuteConfusionFinding,
  notUnderstood,
  type ReadingAt,
} from './observation-variants.ts';
import {
  markImpossibleBloodPressure,
  markOxygen,
  type Reading,
  type ReadingValue,
  seriesByKind,
  toReading,
} from './readings.ts';

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

/** A code the snapshot reads something from (a value, a panel, a GCS part, pregnancy or gestation). */
function isReadCode(c: string): boolean {
  return (
    LOINC_KIND.has(c) ||
    PANEL_CODES.has(c) ||
    c === LOINC.pregnancyStatus ||
    gcsComponent(c) !== undefined ||
    GESTATIONAL_AGE_CODES.has(c) ||
    c === LOINC_VARIANT.deliveryDateEstimated
  );
}

/** The state of one pass over the observations; `read` takes them one at a time, `facts` sums up. */
class ObservationReader {
  private readonly readings: Reading[] = [];
  private readonly unread: ObservationFacts['notUnderstood'] = [];
  private readonly gcsParts = new GcsParts();
  private future = 0;
  private undated = 0;
  private pregnancyStatus: ObservationFacts['pregnancyStatus'];
  private gestationalAge: ObservationFacts['gestationalAge'];

  constructor(
    private readonly atMs: number,
    private readonly warnings: string[],
    private readonly updatedOf: (o: Observation) => number,
  ) {}

  read(o: Observation): void {
    const source = refOf(o);
    if (!source || SKIP_STATUS.has(o.status)) return;
    const { t, raw } = effectiveTime(o);
    const at = (): ReadingAt => ({ source, t, iso: isoOf(raw, t), updated: this.updatedOf(o) });
    if (isAcuteConfusionFinding(o) && !Number.isNaN(t) && t <= this.atMs) {
      this.add('avpu', 'vital', at(), { letter: 'C' });
      return;
    }
    if (this.isUnreadVitalSign(o, source, t)) return;
    const codes = loincCodes(o.code?.coding);
    if (codes.length === 0) return;
    if (!codes.some(isReadCode) && (o.component?.length ?? 0) === 0) return;
    if (!this.isDatedBeforeAt(t)) return;
    const weeks = gestationalWeeks(o, codes, this.atMs);
    if (weeks !== undefined) {
      if (!this.gestationalAge || t > this.gestationalAge.t) this.gestationalAge = { weeks, source, t };
      return;
    }
    const origin = at();
    for (const code of codes) this.gcsParts.add(code, o, origin);
    if (codes.includes(LOINC.pregnancyStatus)) {
      const pregnant = (o.valueCodeableConcept?.coding ?? []).some((c) => c.code === LOINC_ANSWER.pregnant);
      if (!this.pregnancyStatus || t > this.pregnancyStatus.t) this.pregnancyStatus = { pregnant, source, t };
      return;
    }
    // A plain array: an observation maps to one or two kinds, and this runs for every reading.
    const seen: MeasureKind[] = [];
    this.addValues(codes, o, origin, seen);
    for (const comp of o.component ?? ([] as ObservationComponent[])) {
      const compCodes = loincCodes(comp.code?.coding);
      for (const code of compCodes) this.gcsParts.add(code, comp, origin);
      this.addValues(compCodes, comp, origin, seen);
    }
  }

  /** The vitals and labs as series, with GCS totals from components and the counts of what was ignored. */
  facts(): ObservationFacts {
    for (const g of this.gcsParts.totals()) {
      if (this.readings.some((r) => r.kind === 'gcs' && r.t === g.t)) continue;
      this.add('gcs', 'vital', g, { integer: g.total });
    }
    const { warnings, readings } = this;
    if (this.future > 0)
      warnings.push(`${this.future} observation(s) dated after the assessment time were ignored.`);
    if (this.undated > 0)
      warnings.push(`${this.undated} observation(s) without an effective time were ignored.`);
    markOxygen(readings);
    markImpossibleBloodPressure(readings, warnings);
    return {
      ...seriesByKind(readings, this.atMs, warnings),
      notUnderstood: this.unread,
      ...(this.pregnancyStatus ? { pregnancyStatus: this.pregnancyStatus } : {}),
      ...(this.gestationalAge ? { gestationalAge: this.gestationalAge } : {}),
    };
  }

  private add(kind: MeasureKind, group: 'vital' | 'lab', at: ReadingAt, value: ReadingValue): void {
    const r = toReading(kind, group, at, value, this.warnings);
    if (r) this.readings.push(r);
  }

  /** One reading per kind a code maps to, from an Observation or one of its components (first code wins). */
  private addValues(
    codes: string[],
    v: Observation | ObservationComponent,
    at: ReadingAt,
    seen: MeasureKind[],
  ): void {
    for (const code of codes) {
      const k = LOINC_KIND.get(code);
      if (!k || seen.includes(k.kind)) continue;
      seen.push(k.kind);
      this.add(k.kind, k.group, at, {
        quantity: v.valueQuantity,
        integer: v.valueInteger,
        letter: k.kind === 'avpu' ? acvpuLetter(v) : undefined,
      });
    }
  }

  /** A current vital sign none of whose codes is read: listed and warned about, never a silent gap. */
  private isUnreadVitalSign(o: Observation, source: ResourceRef, t: number): boolean {
    // Only a current reading matters: an unreadable one from last year is not a gap in today's vitals.
    const unknown =
      t <= this.atMs && this.atMs - t <= WINDOW_MS.heartRate ? notUnderstood(o, source) : undefined;
    if (!unknown) return false;
    this.unread.push(unknown);
    this.warnings.push(
      `${source}: not understood: ${codeLabel(unknown)}${unknown.display ? ` (${unknown.display})` : ''}; a vital sign CiteCare cannot read, not counted as measured or as missing.`,
    );
    return true;
  }

  /** Counts (and so ignores) an observation without a time or dated after the assessment time. */
  private isDatedBeforeAt(t: number): boolean {
    if (Number.isNaN(t)) this.undated++;
    else if (t > this.atMs) this.future++;
    else return true;
    return false;
  }
}

export function buildObservationFacts(
  observations: readonly Observation[],
  at: Date,
  warnings: string[],
  updatedOf: (o: Observation) => number,
): ObservationFacts {
  const reader = new ObservationReader(at.getTime(), warnings, updatedOf);
  for (const o of observations) reader.read(o);
  return reader.facts();
}
