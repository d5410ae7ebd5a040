// Head injury on an anticoagulant or a non-aspirin antiplatelet (ACEP 2023; §2.12): decision rules cannot
// be relied on to skip CT, so the threshold for a non-contrast head CT is low.
import { suggest } from '../actions.ts';
import { conditionsIn } from '../conditions-query.ts';
import type { ClinicalSnapshot, ConditionFact, Finding, MedicationFact } from '../types.ts';
import { finding, hasClass, type RuleContext } from './context.ts';

const HEAD_INJURY_TEXT =
  /(head|skull).{0,30}(injur|trauma|hit|struck|knock|bang|bump)|(hit|struck|bang|bump|knock)(ed)?.{0,20}head|concussion|fell.{0,30}head/i;
const RECENT_MS = 7 * 24 * 3_600_000;

export interface HeadInjuryOnAntithrombotic {
  /** Head-injury conditions with onset in the last 7 days (or no onset recorded). */
  injuries: ConditionFact[];
  /** Current anticoagulants, or antiplatelets other than aspirin alone. */
  drugs: MedicationFact[];
  /** True when the chief complaint describes a head injury. */
  fromComplaint: boolean;
}

/**
 * A recent head injury (coded, or described in the chief complaint) in a patient taking an anticoagulant
 * or a non-aspirin antiplatelet. Shared by the finding and the triage floor so they can never disagree.
 */
export function headInjuryOnAntithrombotic(s: ClinicalSnapshot): HeadInjuryOnAntithrombotic | undefined {
  const atMs = Date.parse(s.at);
  const drugs = s.medications.filter(
    (m) =>
      !m.draft &&
      (hasClass(m, 'anticoagulant') ||
        (hasClass(m, 'antiplatelet') && !(m.ingredients.length === 1 && m.ingredients[0] === 'aspirin'))),
  );
  if (drugs.length === 0) return undefined;
  const injuries = conditionsIn(s.conditions, 'headInjury').filter(
    (c) => !c.onset || atMs - Date.parse(c.onset) <= RECENT_MS,
  );
  const fromComplaint = s.chiefComplaint !== undefined && HEAD_INJURY_TEXT.test(s.chiefComplaint);
  if (injuries.length === 0 && !fromComplaint) return undefined;
  return { injuries, drugs, fromComplaint };
}

export function headInjuryAnticoagulant(ctx: RuleContext): Finding[] {
  const hit = headInjuryOnAntithrombotic(ctx.snapshot);
  if (!hit) return [];
  const { injuries, drugs: blood } = hit;
  return [
    finding({
      id: 'head-injury-anticoagulant',
      severity: 'critical',
      summary: `Head injury in a patient on ${blood.map((m) => m.ingredients[0] ?? m.display).join(', ')}: low threshold for a head CT.`,
      detail: [
        'Clinical decision rules for skipping CT do not apply to patients on anticoagulants or antiplatelets other than aspirin.',
        'Consider a non-contrast head CT and be ready to reverse anticoagulation if a bleed is found.',
        `Drugs: ${blood.map((m) => m.display).join('; ')}.`,
      ].join('\n'),
      evidence: [...injuries.map((c) => c.source), ...blood.map((m) => m.source)],
      topics: ['head-injury', 'anticoagulant-reversal', 'bleeding-risk'],
      query: 'mild traumatic brain injury anticoagulant antiplatelet head CT reversal',
      suggestions: [suggest('order-ct-head', { isRecommended: true })],
    }),
  ];
}
