// eGFR, CKD-EPI 2021 creatinine equation without race (Inker et al., NEJM 2021; clinical-sources §1.9):
// 142 × min(Scr/κ,1)^α × max(Scr/κ,1)^−1.200 × 0.9938^age × 1.012 [female]; κ 0.7/0.9, α −0.241/−0.302.
// Adults (≥ 18) only; creatinine in mg/dL. The total is a whole number, as laboratories report eGFR, and the
// KDIGO category and every dosing threshold read that reported value; the unrounded result stays in the
// components (2 decimals) for anyone checking the arithmetic.
import type { ClinicalSnapshot, Score } from '../types.ts';
import { lab } from './inputs.ts';

export function ckdEpi2021(creatinineMgDl: number, ageYears: number, sex: 'female' | 'male'): number {
  const female = sex === 'female';
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.241 : -0.302;
  const ratio = creatinineMgDl / kappa;
  return (
    142 * Math.min(ratio, 1) ** alpha * Math.max(ratio, 1) ** -1.2 * 0.9938 ** ageYears * (female ? 1.012 : 1)
  );
}

/** KDIGO G category (clinical-sources §1.10). */
export function kdigoCategory(egfr: number): 'G1' | 'G2' | 'G3a' | 'G3b' | 'G4' | 'G5' {
  if (egfr >= 90) return 'G1';
  if (egfr >= 60) return 'G2';
  if (egfr >= 45) return 'G3a';
  if (egfr >= 30) return 'G3b';
  if (egfr >= 15) return 'G4';
  return 'G5';
}

export function egfr(s: ClinicalSnapshot): Score {
  const cr = lab(s, 'creatinine');
  const { ageYears, sex } = s.patient;
  const missing: string[] = [];
  if (!cr) missing.push('serum creatinine (last 90 days)');
  if (ageYears === null) missing.push('age');
  if (sex !== 'female' && sex !== 'male') missing.push('sex (female or male)');
  if (!cr || ageYears === null || (sex !== 'female' && sex !== 'male')) {
    return { total: null, reason: `CKD-EPI 2021 needs ${missing.join(', ')}.`, missing };
  }
  if (ageYears < 18)
    return { total: null, reason: 'CKD-EPI 2021 is validated for adults (18 and over) only.' };
  const value = ckdEpi2021(cr.value, ageYears, sex);
  const reported = Math.round(value);
  return {
    total: reported,
    components: {
      creatinineMgDl: cr.value,
      ageYears,
      female: sex === 'female' ? 1 : 0,
      unrounded: Math.round(value * 100) / 100,
    },
    band: kdigoCategory(reported),
    evidence: [cr.source, ...(s.patient.source ? [s.patient.source] : [])],
  };
}
