// Circulation and the heart: shock with hypoperfusion and unstable rhythms with hypotension (decision
// point A), and the cardiac rows of §1.5.1 (possibly ischaemic chest pain, tearing chest or back pain,
// acute arterial occlusion, endocarditis in someone who injects drugs).
//
// Hypotension alone (SBP < 90 mmHg, the > 10-year limit of §1.14) is ESI 2 territory (NEWS2 3 points);
// an ESI 1 rule needs hypotension plus objective evidence of what makes it immediately life-threatening:
// lactate ≥ 4 mmol/L (SSC hour-1 bundle §2.1), or a heart rate below 50 or at/above 150/min (AHA 2020
// adult ACLS: an unstable brady- or tachyarrhythmia; these two numbers are not yet in clinical-sources).
// Children ≤ 10 years have their own PALS limits (any cause).
import { fmt } from '../format.ts';
import { lab, vital } from '../scores/inputs.ts';
import { PASSAGE, SOURCE } from './passages.ts';
import { complaintHit, onVital, type TriageRule } from './types.ts';

/** Adult hypotension (clinical-sources §1.14, > 10 years; also CURB-65's SBP < 90, §1.8). */
export const ADULT_HYPOTENSION_SBP = 90;
/** AHA 2020 adult bradycardia algorithm: a bradyarrhythmia is typically below 50/min. */
export const BRADYCARDIA_HR = 50;
/** AHA 2020 adult tachycardia algorithm: a tachyarrhythmia is typically 150/min or more. */
export const TACHYARRHYTHMIA_HR = 150;

/** PALS systolic hypotension limit (clinical-sources §1.14), by age. */
export function palsHypotensionLimit(ageMonths: number): number {
  if (ageMonths < 1) return 60;
  if (ageMonths < 12) return 70;
  if (ageMonths <= 120) return 70 + 2 * Math.floor(ageMonths / 12);
  return 90;
}

/** Children up to 10 years use PALS limits; everyone else (an unknown age too) adult ones. */
export function isChild(ageMonths: number | null): boolean {
  return ageMonths !== null && ageMonths <= 120;
}

export const CIRCULATION_RULES: readonly TriageRule[] = [
  {
    id: 'sbp-below-70',
    level: 1,
    point: 'A',
    system: 'circulation',
    source: SOURCE.pointA,
    passage: PASSAGE.lifeSaving,
    topic: 'esi-triage',
    evaluate: onVital(
      'systolicBP',
      (v, s) => !isChild(s.patient.ageMonths) && v < 70,
      (v) => `Systolic BP ${v} mmHg is below 70 mmHg`,
    ),
  },
  {
    id: 'sbp-below-pals',
    level: 1,
    point: 'A',
    system: 'circulation',
    source: SOURCE.pals,
    passage: PASSAGE.palsHypotension,
    topic: 'paediatric-vitals',
    evaluate({ s }) {
      const sbp = vital(s, 'systolicBP');
      const months = s.patient.ageMonths;
      if (!sbp || months === null || !isChild(months)) return undefined;
      const limit = palsHypotensionLimit(months);
      if (sbp.value >= limit) return undefined;
      return {
        reason: `Systolic BP ${fmt(sbp.value)} mmHg is below the PALS hypotension limit of ${limit} mmHg for this age`,
        evidence: [sbp.source],
      };
    },
  },
  {
    id: 'hypotension-lactate',
    level: 1,
    point: 'A',
    system: 'circulation',
    source: SOURCE.sepsis,
    passage: PASSAGE.lactate,
    topic: 'lactate',
    evaluate({ s }) {
      const sbp = vital(s, 'systolicBP');
      const lactate = lab(s, 'lactate');
      if (!sbp || !lactate || sbp.value >= ADULT_HYPOTENSION_SBP || lactate.value < 4) return undefined;
      return {
        reason: `Systolic BP ${fmt(sbp.value)} mmHg with lactate ${fmt(lactate.value)} mmol/L suggests shock with hypoperfusion`,
        evidence: [sbp.source, lactate.source],
      };
    },
  },
  {
    id: 'hypotension-heart-rate',
    level: 1,
    point: 'A',
    system: 'circulation',
    source: SOURCE.ahaRates,
    passage: PASSAGE.lifeSaving,
    topic: 'esi-triage',
    evaluate({ s }) {
      const sbp = vital(s, 'systolicBP');
      const hr = vital(s, 'heartRate');
      if (!sbp || !hr || isChild(s.patient.ageMonths) || sbp.value >= ADULT_HYPOTENSION_SBP) return undefined;
      const slow = hr.value < BRADYCARDIA_HR;
      if (!slow && hr.value < TACHYARRHYTHMIA_HR) return undefined;
      return {
        reason: `Heart rate ${fmt(hr.value)}/min (${slow ? 'below 50' : '150 or more'}) with systolic BP ${fmt(sbp.value)} mmHg: unstable ${slow ? 'bradycardia' : 'tachycardia'} with hypotension`,
        evidence: [hr.source, sbp.source],
      };
    },
  },
  {
    id: 'chest-pain',
    level: 2,
    point: 'B',
    system: 'circulation',
    source: SOURCE.pointB,
    passage: PASSAGE.chestPain,
    topic: 'chest-pain',
    evaluate: (ctx) =>
      complaintHit(
        ctx,
        ['chest-pain'],
        (w) => `The chief complaint mentions chest pain ("${w}"): possibly ischaemic, a high-risk situation`,
      ),
  },
  {
    id: 'aortic-pain',
    level: 2,
    point: 'B',
    system: 'circulation',
    source: SOURCE.pointBOther,
    passage: PASSAGE.aorticPain,
    topic: 'chest-pain',
    evaluate: (ctx) =>
      complaintHit(
        ctx,
        ['aortic-pain'],
        (w) => `Tearing or ripping pain, or pain through to the back ("${w}"): possible aortic dissection`,
      ),
  },
  {
    id: 'limb-ischaemia',
    level: 2,
    point: 'B',
    system: 'circulation',
    source: SOURCE.pointB,
    passage: PASSAGE.limbIschaemia,
    topic: 'high-risk-situation',
    evaluate: (ctx) =>
      complaintHit(
        ctx,
        ['limb-ischaemia'],
        (w) => `A cold, pale or pulseless limb ("${w}"): possible acute arterial occlusion`,
      ),
  },
  {
    id: 'endocarditis-risk',
    level: 2,
    point: 'B',
    system: 'circulation',
    source: SOURCE.pointB,
    passage: PASSAGE.endocarditis,
    topic: 'high-risk-situation',
    evaluate({ signals }) {
      const drugs = signals.complaint.get('injects-drugs');
      if (drugs === undefined) return undefined;
      const why =
        signals.fever?.what ??
        (signals.complaint.has('severe-breathlessness') ? 'breathlessness' : undefined);
      if (!why) return undefined;
      return {
        reason: `Injecting drug use ("${drugs}") with ${why}: possible endocarditis, a high-risk situation`,
        evidence: signals.fever?.evidence ?? [],
      };
    },
  },
];
