// NEWS2 (RCP 2017; clinical-sources §1.1). Scale 2 for SpO2 is used only when hypercapnic respiratory
// failure is recorded as a current condition (codes.ts CONDITION_GROUPS.hypercapnicFailure: ICD-10-CM
// J96.02/J96.12/J96.22, SNOMED 101301000119106, or a condition whose text says hypercapnic / type 2
// respiratory failure). The scale is never inferred from COPD alone: most COPD patients use scale 1.
//
// Rounding before banding (the chart's bands are written for recorded values):
// - Respiratory rate, SpO2, systolic BP and pulse are recorded as whole numbers, so a fractional value
//   (an averaged or converted reading) is first rounded to the nearest integer, halves upwards: SpO2 91.5
//   is read as 92 (2 points, not 3), pulse 90.5 as 91, SBP 90.5 as 91.
// - Temperature is charted at 0.1 °C: it is rounded once to one decimal, halves away from zero, with the
//   same round() the snapshot uses, so 38.05 is 38.1 (1 point) and 36.05 is 36.1 (0 points).
// Any other threshold (shock index, lactate, eGFR) is compared on the unrounded value.
import { conditionsIn } from '../conditions-query.ts';
import { round } from '../format.ts';
import type { ClinicalSnapshot, ResourceRef, Score } from '../types.ts';
import { consciousness, oxygen, uniqueRefs, vital } from './inputs.ts';

export interface News2Components {
  respiratoryRate: number;
  spo2: number;
  airOrOxygen: number;
  systolicBP: number;
  pulse: number;
  consciousness: number;
  temperature: number;
}

export type News2Band = 'low' | 'low-medium' | 'medium' | 'high';

export function rrPoints(rr: number): number {
  const v = round(rr, 0);
  if (v <= 8) return 3;
  if (v <= 11) return 1;
  if (v <= 20) return 0;
  if (v <= 24) return 2;
  return 3;
}

export function spo2Scale1Points(spo2: number): number {
  const v = round(spo2, 0);
  if (v <= 91) return 3;
  if (v <= 93) return 2;
  if (v <= 95) return 1;
  return 0;
}

export function spo2Scale2Points(spo2: number, onOxygen: boolean): number {
  const v = round(spo2, 0);
  if (v <= 83) return 3;
  if (v <= 85) return 2;
  if (v <= 87) return 1;
  if (v <= 92 || !onOxygen) return 0;
  if (v <= 94) return 1;
  if (v <= 96) return 2;
  return 3;
}

export function sbpPoints(sbp: number): number {
  const v = round(sbp, 0);
  if (v <= 90) return 3;
  if (v <= 100) return 2;
  if (v <= 110) return 1;
  if (v <= 219) return 0;
  return 3;
}

export function pulsePoints(hr: number): number {
  const v = round(hr, 0);
  if (v <= 40) return 3;
  if (v <= 50) return 1;
  if (v <= 90) return 0;
  if (v <= 110) return 1;
  if (v <= 130) return 2;
  return 3;
}

export function temperaturePoints(celsius: number): number {
  const v = round(celsius, 1);
  if (v <= 35.0) return 3;
  if (v <= 36.0) return 1;
  if (v <= 38.0) return 0;
  if (v <= 39.0) return 1;
  return 2;
}

export function news2Band(total: number, components: News2Components): News2Band {
  if (total >= 7) return 'high';
  if (total >= 5) return 'medium';
  return Object.values(components).some((p) => p === 3) ? 'low-medium' : 'low';
}

/** NEWS2 is validated from 16 years; it is not computed for children. */
export const NEWS2_MIN_AGE = 16;

export function news2(s: ClinicalSnapshot): Score {
  if (s.patient.ageYears !== null && s.patient.ageYears < NEWS2_MIN_AGE) {
    return { total: null, reason: 'NEWS2 is for patients aged 16 and over; use paediatric ranges instead.' };
  }
  const hypercapnic = conditionsIn(s.conditions, 'hypercapnicFailure');
  const scale2 = hypercapnic.length > 0;
  const rr = vital(s, 'respiratoryRate');
  const spo2 = vital(s, 'spo2');
  const sbp = vital(s, 'systolicBP');
  const hr = vital(s, 'heartRate');
  const temp = vital(s, 'temperature');
  const acvpu = consciousness(s);
  const o2 = oxygen(s);

  const partial: Partial<News2Components> = {};
  const missing: string[] = [];
  const evidence: Array<ResourceRef | undefined> = [];
  const notes: string[] = [];

  if (rr) {
    partial.respiratoryRate = rrPoints(rr.value);
    evidence.push(rr.source);
  } else missing.push('respiratory rate');
  if (spo2) {
    partial.spo2 = scale2 ? spo2Scale2Points(spo2.value, o2.onOxygen) : spo2Scale1Points(spo2.value);
    evidence.push(spo2.source);
  } else missing.push('SpO2');
  partial.airOrOxygen = o2.onOxygen ? 2 : 0;
  evidence.push(o2.source);
  if (!o2.recorded)
    notes.push('No supplemental oxygen is recorded, so the patient was scored as breathing air.');
  if (sbp) {
    partial.systolicBP = sbpPoints(sbp.value);
    evidence.push(sbp.source);
  } else missing.push('systolic blood pressure');
  if (hr) {
    partial.pulse = pulsePoints(hr.value);
    evidence.push(hr.source);
  } else missing.push('pulse');
  if (acvpu) {
    partial.consciousness = acvpu.level === 'A' ? 0 : 3;
    evidence.push(acvpu.source);
  } else missing.push('level of consciousness (ACVPU or GCS)');
  if (temp) {
    partial.temperature = temperaturePoints(temp.value);
    evidence.push(temp.source);
  } else missing.push('temperature');
  if (scale2) {
    notes.push(
      'SpO2 scored on scale 2 (target 88–92 %) because hypercapnic respiratory failure is recorded.',
    );
    for (const c of hypercapnic) evidence.push(c.source);
  }

  if (s.patient.pregnant)
    notes.push('NEWS2 is not validated in pregnancy; interpret with an obstetric score.');
  const sum = Object.values(partial).reduce((a, b) => a + b, 0);
  if (missing.length > 0) {
    return {
      total: null,
      reason: `NEWS2 needs every parameter; missing in the last 24 h: ${missing.join(', ')}.`,
      missing,
      lowerBound: sum,
      partial: partial as Record<string, number>,
      evidence: uniqueRefs(evidence),
    };
  }
  const components = partial as News2Components;
  return {
    total: sum,
    components: { ...components },
    band: news2Band(sum, components),
    evidence: uniqueRefs(evidence),
    ...(notes.length > 0 ? { notes } : {}),
  };
}
