// ESI decision point B (→ ESI 2): high-risk situations, new confusion, and the danger-zone prompt of
// decision point D. The rule list with sources is in triage-floor.ts.
import { fmt } from './format.ts';
import { highRiskComplaints } from './presenting-complaint.ts';
import { headInjuryOnAntithrombotic } from './rules/head-injury-anticoagulant.ts';
import { consciousness, lab, vital } from './scores/inputs.ts';
import type { AddFloorRule, FloorScores } from './triage-floor.ts';
import type { ClinicalSnapshot, ResourceRef, Score } from './types.ts';

const NEWS2_LABELS: Record<string, string> = {
  respiratoryRate: 'respiratory rate',
  spo2: 'SpO2',
  airOrOxygen: 'oxygen',
  systolicBP: 'systolic BP',
  pulse: 'pulse',
  consciousness: 'consciousness',
  temperature: 'temperature',
};

function components(score: Score): Record<string, number> | undefined {
  return score.total === null ? score.partial : score.components;
}

function evidenceOf(score: Score): ResourceRef[] {
  return score.total === null ? (score.evidence ?? []) : score.evidence;
}

export function highRiskRules(s: ClinicalSnapshot, scores: FloorScores, add: AddFloorRule): void {
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
  // A missing parameter can only add points, so a partial sum of 5 or more already meets the threshold.
  const n2Total = n2.total ?? n2.lowerBound ?? 0;
  if (n2Total >= 5) {
    const risk = n2Total >= 7 ? 'high' : 'medium';
    add(
      'news2-5-or-more',
      2,
      n2.total === null
        ? `NEWS2 at least ${n2Total} (${risk} clinical risk; ${(n2.missing ?? []).join(', ')} missing)`
        : `NEWS2 is ${n2Total} (${risk} clinical risk)`,
      evidenceOf(n2),
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
  if (si.total !== null && si.band === 'high')
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
  const headInjury = headInjuryOnAntithrombotic(s);
  if (headInjury) {
    const drugs = headInjury.drugs.map((m) => m.ingredients[0] ?? m.display).join(', ');
    add(
      'head-injury-anticoagulant',
      2,
      `Head injury while taking ${drugs}: a high-risk situation (bleeding risk; CT decision rules do not apply)`,
      [...headInjury.injuries.map((c) => c.source), ...headInjury.drugs.map((m) => m.source)],
    );
  }
  for (const label of highRiskComplaints(s.chiefComplaint))
    add('chief-complaint', 2, `The chief complaint mentions ${label}, a high-risk presentation`, []);
}
