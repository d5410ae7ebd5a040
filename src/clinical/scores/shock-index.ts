// Shock index = HR / SBP (Koch et al. 2019; clinical-sources §1.4). > 0.9 elevated, ≥ 1.0 high. The
// cut-offs are heuristics (less reliable with beta-blockers, in older adults and in hypertension). The band
// is set by the unrounded ratio; the total is shown to 2 decimals.
import { roundShown } from '../format.ts';
import type { ClinicalSnapshot, Score } from '../types.ts';
import { uniqueRefs, vital } from './inputs.ts';

export function shockIndexBand(si: number): 'normal' | 'elevated' | 'high' {
  if (si >= 1.0) return 'high';
  if (si > 0.9) return 'elevated';
  return 'normal';
}

export function shockIndex(s: ClinicalSnapshot): Score {
  // Normal heart rates in children give indices above 1, so the adult cut-offs would mislead.
  if (s.patient.ageYears !== null && s.patient.ageYears < 16) {
    return { total: null, reason: 'Shock index cut-offs are for adults; not computed under 16.' };
  }
  const hr = vital(s, 'heartRate');
  const sbp = vital(s, 'systolicBP');
  const missing = [...(hr ? [] : ['heart rate']), ...(sbp ? [] : ['systolic blood pressure'])];
  if (!hr || !sbp || sbp.value <= 0) {
    return {
      total: null,
      reason: `Shock index needs heart rate and systolic BP; missing: ${missing.join(', ')}.`,
      missing,
    };
  }
  // Banded on the exact ratio; the total is the 2-decimal display value, so 99.6/100 shows 1 but is
  // 'elevated', not 'high' (rules read the band, never the rounded total).
  const ratio = hr.value / sbp.value;
  const band = shockIndexBand(ratio);
  const si = roundShown(ratio, 2);
  return {
    total: si,
    components: { heartRate: hr.value, systolicBP: sbp.value },
    band,
    evidence: uniqueRefs([hr.source, sbp.source]),
    ...(band !== shockIndexBand(si)
      ? {
          notes: [
            `The exact ratio ${ratio.toFixed(4)} sets the band (${band}); ${si} is only the rounded display.`,
          ],
        }
      : {}),
  };
}
