// The deterministic triage floor: the most acute ESI level that objective data alone require. It can only
// make a patient more urgent. ESI decision points (clinical-sources §1.5) in our own operational terms:
//
// Decision point A (→ ESI 1, needs an immediate life-saving intervention):
//   spo2-below-85      SpO2 < 85 %: respiratory failure is an ESI 1 example (v4); 85 % is our cut-off, below
//                      the NEWS2 scale-2 3-point band (≤ 83) plus a margin, so it holds even for COPD targets.
//   rr-8-or-less       RR ≤ 8 /min: hypoventilation needing airway/ventilation support (NEWS2's lowest band).
//   unresponsive       ACVPU P or U, or GCS ≤ 8 (ESI v4 "unresponsive"; GCS ≤ 8 = severe, §1.12).
//   sbp-below-70       SBP < 70 mmHg in anyone over 10 years: shock with hypoperfusion (ESI 1 example).
//   sbp-below-pals     child ≤ 10 years with SBP below the PALS hypotension limit (§1.14): decompensated shock.
//   hypotension-lactate SBP < 90 mmHg with lactate ≥ 4 mmol/L: hypoperfusion (SSC hour-1 bundle, §2.1).
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
//   chief-complaint    the chief complaint names a high-risk presentation (chest pain, stroke signs,
//                      suicidal thoughts, overdose, anaphylaxis, seizure). Free text only ever raises acuity.
import { fmt } from './format.ts';
import { consciousness, lab, vital } from './scores/inputs.ts';
import type { ClinicalSnapshot, ResourceRef, Score, TriageResult } from './types.ts';

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

const NEWS2_LABELS: Record<string, string> = {
  respiratoryRate: 'respiratory rate',
  spo2: 'SpO2',
  airOrOxygen: 'oxygen',
  systolicBP: 'systolic BP',
  pulse: 'pulse',
  consciousness: 'consciousness',
  temperature: 'temperature',
};

const HIGH_RISK_COMPLAINTS: Array<[RegExp, string]> = [
  [/chest (pain|pressure|tightness)/i, 'chest pain'],
  [
    /stroke|facial droop|face droop|slurred speech|(one|1)[- ]sided weakness|hemiparesis/i,
    'possible stroke signs',
  ],
  [/suicid|self[- ]harm|kill (my|him|her)self/i, 'suicidal thoughts or self-harm'],
  [/overdose/i, 'an overdose'],
  [/anaphyla/i, 'anaphylaxis'],
  [/seizure|convuls/i, 'a seizure'],
];

/** PALS systolic hypotension limit (clinical-sources §1.14), by age. */
export function palsHypotensionLimit(ageMonths: number): number {
  if (ageMonths < 1) return 60;
  if (ageMonths < 12) return 70;
  if (ageMonths <= 120) return 70 + 2 * Math.floor(ageMonths / 12);
  return 90;
}

function components(score: Score): Record<string, number> | undefined {
  return score.total === null ? score.partial : score.components;
}

function evidenceOf(score: Score): ResourceRef[] {
  return score.total === null ? (score.evidence ?? []) : score.evidence;
}

export function floorRules(s: ClinicalSnapshot, scores: FloorScores): FloorRule[] {
  const out: FloorRule[] = [];
  const add = (id: string, level: 1 | 2, reason: string, evidence: Array<ResourceRef | undefined>) =>
    out.push({ id, level, reason, evidence: [...new Set(evidence.filter((e): e is ResourceRef => !!e))] });
  const spo2 = vital(s, 'spo2');
  const rr = vital(s, 'respiratoryRate');
  const sbp = vital(s, 'systolicBP');
  const dbp = vital(s, 'diastolicBP');
  const temp = vital(s, 'temperature');
  const mind = consciousness(s);
  const glucose = lab(s, 'glucose');
  const potassium = lab(s, 'potassium');
  const lactate = lab(s, 'lactate');
  const ageMonths = s.patient.ageMonths;
  const child = ageMonths !== null && ageMonths <= 120;

  // Decision point A
  if (spo2 && spo2.value < 85)
    add('spo2-below-85', 1, `SpO2 ${fmt(spo2.value)} % is below 85 %`, [spo2.source]);
  if (rr && rr.value <= 8)
    add('rr-8-or-less', 1, `Respiratory rate ${fmt(rr.value)}/min is 8 or less`, [rr.source]);
  if (mind && (mind.level === 'P' || mind.level === 'U')) {
    const what =
      mind.gcs !== undefined
        ? `GCS ${mind.gcs} is 8 or less`
        : `Responds ${mind.level === 'P' ? 'only to pain' : 'to nothing'} (ACVPU ${mind.level})`;
    add('unresponsive', 1, what, [mind.source]);
  }
  if (sbp && !child && sbp.value < 70)
    add('sbp-below-70', 1, `Systolic BP ${fmt(sbp.value)} mmHg is below 70 mmHg`, [sbp.source]);
  if (sbp && child && ageMonths !== null && sbp.value < palsHypotensionLimit(ageMonths)) {
    add(
      'sbp-below-pals',
      1,
      `Systolic BP ${fmt(sbp.value)} mmHg is below the PALS hypotension limit of ${palsHypotensionLimit(ageMonths)} mmHg for this age`,
      [sbp.source],
    );
  }
  if (sbp && lactate && sbp.value < 90 && lactate.value >= 4) {
    add(
      'hypotension-lactate',
      1,
      `Systolic BP ${fmt(sbp.value)} mmHg with lactate ${fmt(lactate.value)} mmol/L suggests shock with hypoperfusion`,
      [sbp.source, lactate.source],
    );
  }
  if (glucose && glucose.value < 54 && mind && mind.level !== 'A') {
    add('hypoglycaemia-altered', 1, `Glucose ${fmt(glucose.value, 0)} mg/dL with altered consciousness`, [
      glucose.source,
      mind.source,
    ]);
  }

  // Decision point B
  if (mind && (mind.level === 'C' || mind.level === 'V')) {
    const what =
      mind.gcs !== undefined
        ? `GCS ${mind.gcs} is below 15`
        : mind.level === 'C'
          ? 'New confusion is recorded (ACVPU C)'
          : 'Responds only to voice (ACVPU V)';
    add('altered-mentation', 2, what, [mind.source]);
  }
  const n2 = scores.news2;
  if (n2.total !== null && n2.total >= 5) {
    add(
      'news2-5-or-more',
      2,
      `NEWS2 is ${n2.total} (${n2.total >= 7 ? 'high' : 'medium'} clinical risk)`,
      n2.evidence,
    );
  }
  const n2c = components(n2);
  if (n2c) {
    const threes = Object.entries(n2c)
      .filter(([, p]) => p === 3)
      .map(([k]) => NEWS2_LABELS[k] ?? k);
    if (threes.length > 0)
      add('news2-single-3', 2, `NEWS2 scores 3 for ${threes.join(', ')}`, evidenceOf(n2));
  }
  const q = scores.qsofa;
  const qTotal = q.total ?? q.lowerBound ?? 0;
  if (qTotal >= 2)
    add(
      'qsofa-positive',
      2,
      `qSOFA is ${q.total === null ? 'at least ' : ''}${qTotal} (2 or more is positive)`,
      evidenceOf(q),
    );
  if (spo2 && spo2.value < 92)
    add('spo2-below-92', 2, `SpO2 ${fmt(spo2.value)} % is below 92 %`, [spo2.source]);
  const dz = components(scores.dangerZone);
  if (dz && (dz.heartRate === 1 || dz.respiratoryRate === 1)) {
    const hr = vital(s, 'heartRate');
    const parts: string[] = [];
    if (dz.heartRate === 1 && hr) parts.push(`heart rate ${fmt(hr.value)}/min`);
    if (dz.respiratoryRate === 1 && rr) parts.push(`respiratory rate ${fmt(rr.value)}/min`);
    add('danger-zone', 2, `Danger-zone vitals for the age band: ${parts.join(' and ')}`, [
      dz.heartRate === 1 ? hr?.source : undefined,
      dz.respiratoryRate === 1 ? rr?.source : undefined,
    ]);
  }
  const si = scores.shockIndex;
  if (si.total !== null && si.total >= 1.0)
    add('shock-index-1', 2, `Shock index ${fmt(si.total, 2)} is 1.0 or more`, si.evidence);
  if (temp && ageMonths !== null && ageMonths < 1 && temp.value >= 38.0) {
    add('febrile-neonate', 2, `Temperature ${fmt(temp.value)} °C in an infant under 1 month`, [
      temp.source,
      s.patient.source,
    ]);
  }
  if (temp && ageMonths !== null && ageMonths < 3 && temp.value < 36.5) {
    add(
      'hypothermic-infant',
      2,
      `Temperature ${fmt(temp.value)} °C is below 36.5 °C in an infant under 3 months`,
      [temp.source, s.patient.source],
    );
  }
  if (s.patient.pregnant && ((sbp && sbp.value >= 160) || (dbp && dbp.value >= 110))) {
    add(
      'pregnancy-severe-bp',
      2,
      `Blood pressure ${sbp ? fmt(sbp.value, 0) : '?'}/${dbp ? fmt(dbp.value, 0) : '?'} mmHg is in the severe range for pregnancy`,
      [sbp?.source, dbp?.source],
    );
  }
  if (glucose && glucose.value < 54)
    add('glucose-below-54', 2, `Glucose ${fmt(glucose.value, 0)} mg/dL is below 54 mg/dL`, [glucose.source]);
  if (potassium && potassium.value >= 6.5)
    add('potassium-6.5', 2, `Potassium ${fmt(potassium.value)} mmol/L is 6.5 mmol/L or more`, [
      potassium.source,
    ]);
  if (lactate && lactate.value >= 4)
    add('lactate-4', 2, `Lactate ${fmt(lactate.value)} mmol/L is 4 mmol/L or more`, [lactate.source]);
  if (s.chiefComplaint) {
    for (const [re, label] of HIGH_RISK_COMPLAINTS) {
      if (re.test(s.chiefComplaint))
        add('chief-complaint', 2, `The chief complaint mentions ${label}, a high-risk presentation`, []);
    }
  }
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
