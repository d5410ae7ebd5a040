// ESI v4 danger-zone vitals (decision point D; clinical-sources §1.5). Any one exceeded → consider ESI 2.
// Age bands: < 3 months; 3 months to < 3 years; 3 years to < 8 years; from the 8th birthday (96 months) the
// adult limits. §1.5 says ">8 years", which we read as "8 years old and over": a child in their ninth year
// gets the lower adult limits, so the check errs towards flagging. With an unknown age the adult limits are
// used too: they are the lowest, so the check is the most sensitive.
import type { ClinicalSnapshot, ResourceRef, Score } from '../types.ts';
import { criteriaScore, vital } from './inputs.ts';

/** Versioned: the v5 table was not available when this was written (clinical-sources §5). */
export const DANGER_ZONE_VERSION = 'ESI v4 (2012 handbook)';

export interface DangerZoneBand {
  label: string;
  heartRateAbove: number;
  respiratoryRateAbove: number;
  spo2Below: number;
}

export const DANGER_ZONE_BANDS = {
  under3Months: { label: 'under 3 months', heartRateAbove: 180, respiratoryRateAbove: 50, spo2Below: 92 },
  months3To3Years: {
    label: '3 months to 3 years',
    heartRateAbove: 160,
    respiratoryRateAbove: 40,
    spo2Below: 92,
  },
  years3To8: { label: '3 to under 8 years', heartRateAbove: 140, respiratoryRateAbove: 30, spo2Below: 92 },
  over8Years: { label: '8 years and over', heartRateAbove: 100, respiratoryRateAbove: 20, spo2Below: 92 },
} as const satisfies Record<string, DangerZoneBand>;

export function dangerZoneBand(ageMonths: number | null): DangerZoneBand {
  if (ageMonths === null) return DANGER_ZONE_BANDS.over8Years;
  if (ageMonths < 3) return DANGER_ZONE_BANDS.under3Months;
  if (ageMonths < 36) return DANGER_ZONE_BANDS.months3To3Years;
  if (ageMonths < 96) return DANGER_ZONE_BANDS.years3To8;
  return DANGER_ZONE_BANDS.over8Years;
}

export function dangerZone(s: ClinicalSnapshot): Score {
  const band = dangerZoneBand(s.patient.ageMonths);
  const hr = vital(s, 'heartRate');
  const rr = vital(s, 'respiratoryRate');
  const spo2 = vital(s, 'spo2');
  const partial: Record<string, number> = {};
  const missing: string[] = [];
  const evidence: Array<ResourceRef | undefined> = [];
  if (hr) {
    partial.heartRate = hr.value > band.heartRateAbove ? 1 : 0;
    evidence.push(hr.source);
  } else missing.push('heart rate');
  if (rr) {
    partial.respiratoryRate = rr.value > band.respiratoryRateAbove ? 1 : 0;
    evidence.push(rr.source);
  } else missing.push('respiratory rate');
  if (spo2) {
    partial.spo2 = spo2.value < band.spo2Below ? 1 : 0;
    evidence.push(spo2.source);
  } else missing.push('SpO2');
  const notes = s.patient.ageMonths === null ? ['Age unknown: adult limits used.'] : [];
  return criteriaScore({
    partial,
    missing,
    evidence,
    incomplete: (m) => `Danger-zone check incomplete (${band.label}); missing: ${m}.`,
    band: () => band.label,
    notes,
  });
}
