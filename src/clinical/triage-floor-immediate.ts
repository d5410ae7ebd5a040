// ESI decision point A (→ ESI 1): objective data that show a need for an immediate life-saving
// intervention. The rule list with sources is in triage-floor.ts; the reasoning for the hypotension rules
// that need a second sign is here, next to the code.
//
// Hypotension alone (SBP < 90 mmHg, the > 10-year limit of §1.14) is ESI 2 territory: the handbook's ESI 1
// examples are "shock with hypoperfusion" and "anaphylaxis with compromise" (§1.5), so an ESI 1 rule needs
// hypotension plus objective evidence of what makes it immediately life-threatening:
//   - lactate ≥ 4 mmol/L (hypoperfusion, SSC hour-1 bundle §2.1);
//   - a heart rate below 50 or at/above 150/min: the AHA 2020 adult ACLS algorithms treat a brady- or
//     tachyarrhythmia with hypotension as unstable, needing immediate pacing/drugs or cardioversion.
//     These two numbers are from the AHA algorithms, not yet in clinical-sources.md (flagged for it);
//   - an acute allergic reaction: anaphylaxis is the NIAID/FAAN picture of hypotension after exposure to a
//     known allergen, or with skin/mucosal involvement (hives, swollen lips/tongue/throat). The reaction is
//     recognised from a coded anaphylaxis/allergic-reaction condition of the last 24 hours, or from the chief
//     complaint naming the reaction or a substance on the patient's own allergy list. The threshold itself is
//     always the measured SBP; free text only supplies the context and can only raise acuity.
// Children ≤ 10 years are covered by sbp-below-pals (any cause, their own limits), so these rules are for
// everyone older (and for an unknown age, which is treated as adult, as sbp-below-70 is).
import { conditionsIn } from './conditions-query.ts';
import { fmt } from './format.ts';
import { mentionsAllergicReaction, namedRecordedAllergen } from './presenting-complaint.ts';
import { consciousness, lab, vital } from './scores/inputs.ts';
import type { AddFloorRule } from './triage-floor.ts';
import type { ClinicalSnapshot, ResourceRef } from './types.ts';

/** Adult hypotension (clinical-sources §1.14, > 10 years; also CURB-65's SBP < 90, §1.8). */
export const ADULT_HYPOTENSION_SBP = 90;
/** AHA 2020 adult bradycardia algorithm: a bradyarrhythmia is typically below 50/min. */
export const BRADYCARDIA_HR = 50;
/** AHA 2020 adult tachycardia algorithm: a tachyarrhythmia is typically 150/min or more. */
export const TACHYARRHYTHMIA_HR = 150;
/** How long a coded anaphylaxis/allergic-reaction condition counts as the current episode. */
const REACTION_WINDOW_MS = 24 * 3_600_000;

/** PALS systolic hypotension limit (clinical-sources §1.14), by age. */
export function palsHypotensionLimit(ageMonths: number): number {
  if (ageMonths < 1) return 60;
  if (ageMonths < 12) return 70;
  if (ageMonths <= 120) return 70 + 2 * Math.floor(ageMonths / 12);
  return 90;
}

/** What says an acute allergic reaction is going on, with its evidence; undefined when nothing does. */
export function allergicReaction(
  s: ClinicalSnapshot,
): { what: string[]; evidence: ResourceRef[] } | undefined {
  const atMs = Date.parse(s.at);
  const what: string[] = [];
  const evidence: ResourceRef[] = [];
  const coded = conditionsIn(s.conditions, 'anaphylaxis').filter(
    (c) => !c.onset || atMs - Date.parse(c.onset) <= REACTION_WINDOW_MS,
  );
  if (coded.length > 0) {
    what.push(`a recorded ${coded[0].display.toLowerCase()}`);
    evidence.push(...coded.map((c) => c.source));
  }
  if (mentionsAllergicReaction(s.chiefComplaint)) what.push('an allergic reaction in the chief complaint');
  const allergen = namedRecordedAllergen(s.chiefComplaint, s.allergies);
  if (allergen) {
    what.push(`exposure to ${allergen.display}, a recorded allergy`);
    evidence.push(allergen.source);
  }
  return what.length > 0 ? { what, evidence } : undefined;
}

export function immediateRules(s: ClinicalSnapshot, add: AddFloorRule): void {
  const spo2 = vital(s, 'spo2');
  const rr = vital(s, 'respiratoryRate');
  const sbp = vital(s, 'systolicBP');
  const hr = vital(s, 'heartRate');
  const mind = consciousness(s);
  const glucose = lab(s, 'glucose');
  const lactate = lab(s, 'lactate');
  const ageMonths = s.patient.ageMonths;
  const child = ageMonths !== null && ageMonths <= 120;

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
  if (sbp && lactate && sbp.value < ADULT_HYPOTENSION_SBP && lactate.value >= 4) {
    add(
      'hypotension-lactate',
      1,
      `Systolic BP ${fmt(sbp.value)} mmHg with lactate ${fmt(lactate.value)} mmol/L suggests shock with hypoperfusion`,
      [sbp.source, lactate.source],
    );
  }
  const hypotensive = sbp !== undefined && !child && sbp.value < ADULT_HYPOTENSION_SBP;
  if (hypotensive && hr && (hr.value < BRADYCARDIA_HR || hr.value >= TACHYARRHYTHMIA_HR)) {
    const slow = hr.value < BRADYCARDIA_HR;
    add(
      'hypotension-heart-rate',
      1,
      `Heart rate ${fmt(hr.value)}/min (${slow ? 'below 50' : '150 or more'}) with systolic BP ${fmt(sbp.value)} mmHg: unstable ${slow ? 'bradycardia' : 'tachycardia'} with hypotension`,
      [hr.source, sbp.source],
    );
  }
  const reaction = hypotensive ? allergicReaction(s) : undefined;
  if (hypotensive && reaction) {
    add(
      'anaphylaxis-hypotension',
      1,
      `Systolic BP ${fmt(sbp.value)} mmHg is below 90 mmHg with ${reaction.what.join(' and ')}: possible anaphylaxis with circulatory compromise`,
      [sbp.source, ...reaction.evidence],
    );
  }
  if (glucose && glucose.value < 54 && mind && mind.level !== 'A') {
    add('hypoglycaemia-altered', 1, `Glucose ${fmt(glucose.value, 0)} mg/dL with altered consciousness`, [
      glucose.source,
      mind.source,
    ]);
  }
}
