// eGFR, CKD-EPI 2021 creatinine equation without race (Inker et al., NEJM 2021; clinical-sources §1.9):
// 142 × min(Scr/κ,1)^α × max(Scr/κ,1)^−1.200 × 0.9938^age × 1.012 [female]; κ 0.7/0.9, α −0.241/−0.302.
// Adults (≥ 18) only; creatinine in mg/dL. The total is a whole number, as laboratories report eGFR, but
// §1.9 says to round only for display: the KDIGO category and every dosing threshold (metformin, NSAIDs,
// renal doses) read the unrounded value, so 29.6 is below 30 even though it is reported as 30. The
// components keep the inputs and the value to 2 decimals for display; exactEgfr() recomputes the full
// value from those inputs for thresholds, and egfrText() shows one decimal whenever the whole number would
// sit on the other side of a cut-off.
import { roundShown } from '../format.ts';
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

/** KDIGO G cut-offs (clinical-sources §1.10); the dosing rules use 30 and 45 too. */
const EGFR_CUT_OFFS = [15, 30, 45, 60, 90] as const;

/**
 * eGFR for a sentence: the whole number, unless rounding would carry it across a cut-off (29.6 → "30"
 * beside "below 30"); then one decimal, truncated when even that would cross (29.96 → "29.9").
 */
export function egfrText(value: number): string {
  const crosses = (shown: number) => EGFR_CUT_OFFS.some((c) => value < c !== shown < c);
  const whole = roundShown(value, 0);
  if (!crosses(whole)) return String(whole);
  const tenth = roundShown(value, 1);
  return String(crosses(tenth) ? Math.trunc(value * 10) / 10 : tenth);
}

/** KDIGO G category (clinical-sources §1.10), on the unrounded eGFR. */
export function kdigoCategory(egfr: number): 'G1' | 'G2' | 'G3a' | 'G3b' | 'G4' | 'G5' {
  if (egfr >= 90) return 'G1';
  if (egfr >= 60) return 'G2';
  if (egfr >= 45) return 'G3a';
  if (egfr >= 30) return 'G3b';
  if (egfr >= 15) return 'G4';
  return 'G5';
}

/** The unrounded CKD-EPI value behind a computed eGFR score (recomputed from its components). */
export function exactEgfr(score: Score): number | undefined {
  if (score.total === null) return undefined;
  const { creatinineMgDl, ageYears, female } = score.components;
  if (creatinineMgDl === undefined || ageYears === undefined || female === undefined) return score.total;
  return ckdEpi2021(creatinineMgDl, ageYears, female === 1 ? 'female' : 'male');
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
  const reported = roundShown(value, 0);
  const band = kdigoCategory(value);
  return {
    total: reported,
    components: {
      creatinineMgDl: cr.value,
      ageYears,
      female: sex === 'female' ? 1 : 0,
      unrounded: roundShown(value, 2),
    },
    band,
    evidence: [cr.source, ...(s.patient.source ? [s.patient.source] : [])],
    ...(band !== kdigoCategory(reported)
      ? { notes: [`Reported as ${reported}, but the unrounded ${egfrText(value)} sets category ${band}.`] }
      : {}),
  };
}
