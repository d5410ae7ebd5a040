// The deterministic triage floor: the most acute ESI level that objective data alone require. It can only
// make a patient more urgent. ESI decision points (clinical-sources §1.5) in our own operational terms.
// Decision point A lives in triage-floor-immediate.ts (with the reasoning for the hypotension rules),
// decision point B in triage-floor-high-risk.ts.
//
// Decision point A (→ ESI 1, needs an immediate life-saving intervention):
//   spo2-below-85      SpO2 < 85 %: respiratory failure is an ESI 1 example (v4); 85 % is our cut-off, below
//                      the NEWS2 scale-2 3-point band (≤ 83) plus a margin, so it holds even for COPD targets.
//   rr-8-or-less       RR ≤ 8 /min: hypoventilation needing airway/ventilation support (NEWS2's lowest band).
//   unresponsive       ACVPU P or U, or GCS ≤ 8 (ESI v4 "unresponsive"; GCS ≤ 8 = severe, §1.12).
//   sbp-below-70       SBP < 70 mmHg in anyone over 10 years: shock with hypoperfusion (ESI 1 example).
//   sbp-below-pals     child ≤ 10 years with SBP below the PALS hypotension limit (§1.14): decompensated shock.
//   hypotension-lactate SBP < 90 mmHg with lactate ≥ 4 mmol/L: hypoperfusion (SSC hour-1 bundle, §2.1).
//   hypotension-heart-rate  over 10 years, SBP < 90 mmHg with HR < 50 or ≥ 150 /min: unstable brady- or
//                      tachyarrhythmia (ESI 1 example "shock with hypoperfusion"; AHA 2020 ACLS rate limits).
//   anaphylaxis-hypotension over 10 years, SBP < 90 mmHg with an acute allergic reaction (coded in the last
//                      24 h, named in the chief complaint, or the complaint names a recorded allergen): the
//                      ESI 1 example "anaphylaxis with compromise" (NIAID/FAAN criteria; epinephrine §2.9).
//   hypoglycaemia-altered glucose < 54 mg/dL with altered consciousness (ADA level 3 picture, §2.6).
// Decision point B (→ ESI 2, high-risk situation or new confusion/lethargy):
//   altered-mentation  ACVPU C or V, or GCS 9–14 (new confusion is treated as new until shown otherwise).
//   news2-5-or-more    NEWS2 ≥ 5: urgent clinician review in a monitored area (RCP chart, §1.1).
//   news2-single-3     any NEWS2 parameter scoring 3: an extreme single vital sign.
//   qsofa-positive     qSOFA ≥ 2 (§1.2), including when the recorded criteria alone already make 2.
//   spo2-below-92      SpO2 < 92 % (ESI danger-zone SpO2 for every age).
//   danger-zone        HR or RR above the ESI v4 danger-zone limit for the age band (decision point D:
//                      "consider ESI 2"; CiteCare raises to 2 and says so).
//   shock-index-1      shock index ≥ 1.0 (§1.4).
//   febrile-neonate    under 1 month with temperature ≥ 38.0 °C (ESI v4 example, < 28 days).
//   hypothermic-infant under 3 months with temperature < 36.5 °C (ESI v4 example, < 90 days).
//   pregnancy-severe-bp pregnant with SBP ≥ 160 or DBP ≥ 110 mmHg (ACOG severe range, §2.4).
//   glucose-below-54   level 2 hypoglycaemia (§2.6).
//   potassium-6.5      severe hyperkalaemia K+ ≥ 6.5 mmol/L (UKKA, §2.8).
//   lactate-4          lactate ≥ 4 mmol/L (§2.1).
//   head-injury-anticoagulant  a head injury (coded in the last 7 days, or in the chief complaint) while
//                      taking an anticoagulant or a non-aspirin antiplatelet: ACEP 2023 says CT decision
//                      rules cannot be relied on (§2.12), so this is a high-risk situation. Same detection
//                      as the finding of that id, so the two never disagree.
//   chief-complaint    the chief complaint names a high-risk presentation (chest pain, stroke signs,
//                      suicidal thoughts or plans, overdose, anaphylaxis, airway swelling, seizure;
//                      presenting-complaint.ts). Free text only ever raises acuity.
import { highRiskRules } from './triage-floor-high-risk.ts';
import { immediateRules } from './triage-floor-immediate.ts';
import type { ClinicalSnapshot, ResourceRef, Score, TriageResult } from './types.ts';

export { palsHypotensionLimit } from './triage-floor-immediate.ts';

export interface FloorScores {
  news2: Score;
  qsofa: Score;
  shockIndex: Score;
  dangerZone: Score;
}

export interface FloorRule {
  id: string;
  level: 1 | 2;
  reason: string;
  evidence: ResourceRef[];
}

export type AddFloorRule = (
  id: string,
  level: 1 | 2,
  reason: string,
  evidence: Array<ResourceRef | undefined>,
) => void;

export function floorRules(s: ClinicalSnapshot, scores: FloorScores): FloorRule[] {
  const out: FloorRule[] = [];
  const add: AddFloorRule = (id, level, reason, evidence) =>
    out.push({ id, level, reason, evidence: [...new Set(evidence.filter((e): e is ResourceRef => !!e))] });
  immediateRules(s, add);
  highRiskRules(s, scores, add);
  out.sort((a, b) => a.level - b.level);
  return out;
}

export const DEFAULT_REASON =
  'No objective rule requires ESI 1 or 2; the data alone cannot justify a less acute level, so 3 is the default.';

export function triageFloor(s: ClinicalSnapshot, scores: FloorScores): TriageResult {
  const rules = floorRules(s, scores);
  if (rules.length === 0) {
    return {
      level: 3,
      floorLevel: null,
      reasons: [DEFAULT_REASON],
      evidence: [],
      basis: 'default',
      rules: [],
    };
  }
  const floor = rules[0].level;
  const evidence = [...new Set(rules.flatMap((r) => r.evidence))];
  return {
    level: floor,
    floorLevel: floor,
    reasons: rules.map((r) => r.reason),
    evidence,
    basis: 'floor',
    rules,
  };
}
