// SIRS (ACCP/SCCM 1992; clinical-sources §1.3): temperature > 38 or < 36 °C, HR > 90, RR > 20, WBC > 12 or
// < 4 ×10³/µL. (PaCO2 and band forms are not in the snapshot; they can only add points.) ≥ 2 = SIRS.
import type { ClinicalSnapshot, ResourceRef, Score } from '../types.ts';
import { criteriaScore, lab, vital } from './inputs.ts';

export function sirs(s: ClinicalSnapshot): Score {
  // Children have age-specific SIRS limits (not in our sources), so the adult criteria are not applied.
  if (s.patient.ageYears !== null && s.patient.ageYears < 18) {
    return { total: null, reason: 'Adult SIRS criteria are not applied under 18.' };
  }
  const temp = vital(s, 'temperature');
  const hr = vital(s, 'heartRate');
  const rr = vital(s, 'respiratoryRate');
  const wbc = lab(s, 'wbc');
  const partial: Record<string, number> = {};
  const missing: string[] = [];
  const evidence: Array<ResourceRef | undefined> = [];
  if (temp) {
    partial.temperature = temp.value > 38 || temp.value < 36 ? 1 : 0;
    evidence.push(temp.source);
  } else missing.push('temperature');
  if (hr) {
    partial.heartRate = hr.value > 90 ? 1 : 0;
    evidence.push(hr.source);
  } else missing.push('heart rate');
  if (rr) {
    partial.respiratoryRate = rr.value > 20 ? 1 : 0;
    evidence.push(rr.source);
  } else missing.push('respiratory rate');
  if (wbc) {
    partial.whiteCells = wbc.value > 12 || wbc.value < 4 ? 1 : 0;
    evidence.push(wbc.source);
  } else missing.push('white cell count');
  return criteriaScore({
    partial,
    missing,
    evidence,
    incomplete: (m) => `SIRS needs all four criteria; missing: ${m}.`,
    band: (sum) => (sum >= 2 ? 'positive' : 'negative'),
  });
}
