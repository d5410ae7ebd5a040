// qSOFA (Sepsis-3, JAMA 2016; clinical-sources §1.2): RR ≥ 22, SBP ≤ 100, altered mentation (ACVPU not
// "alert", or GCS < 15). One point each; ≥ 2 is positive. A prognostic prompt, not a diagnosis.
import type { ClinicalSnapshot, ResourceRef, Score } from '../types.ts';
import { consciousness, criteriaScore, vital } from './inputs.ts';

export function qsofa(s: ClinicalSnapshot): Score {
  if (s.patient.ageYears !== null && s.patient.ageYears < 18) {
    return { total: null, reason: 'qSOFA is defined for adults; not computed under 18.' };
  }
  const rr = vital(s, 'respiratoryRate');
  const sbp = vital(s, 'systolicBP');
  const mentation = consciousness(s);
  const partial: Record<string, number> = {};
  const missing: string[] = [];
  const evidence: Array<ResourceRef | undefined> = [];
  if (rr) {
    partial.respiratoryRate = rr.value >= 22 ? 1 : 0;
    evidence.push(rr.source);
  } else missing.push('respiratory rate');
  if (sbp) {
    partial.systolicBP = sbp.value <= 100 ? 1 : 0;
    evidence.push(sbp.source);
  } else missing.push('systolic blood pressure');
  if (mentation) {
    partial.alteredMentation = mentation.level === 'A' ? 0 : 1;
    evidence.push(mentation.source);
  } else missing.push('mentation (ACVPU or GCS)');
  return criteriaScore({
    partial,
    missing,
    evidence,
    incomplete: (m) => `qSOFA needs all three criteria; missing: ${m}.`,
    band: (sum) => (sum >= 2 ? 'positive' : 'negative'),
  });
}
