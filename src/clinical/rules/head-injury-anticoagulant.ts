// Head injury on an anticoagulant or a non-aspirin antiplatelet (ACEP 2023; §2.12): decision rules cannot
// be relied on to skip CT, so the threshold for a non-contrast head CT is low.
import { suggest } from '../actions.ts';
import { conditionsIn } from '../conditions-query.ts';
import type { Finding } from '../types.ts';
import { finding, hasClass, type RuleContext } from './context.ts';

const HEAD_INJURY_TEXT =
  /(head|skull).{0,30}(injur|trauma|hit|struck|knock|bang|bump)|(hit|struck|bang|bump|knock)(ed)?.{0,20}head|concussion|fell.{0,30}head/i;
const RECENT_MS = 7 * 24 * 3_600_000;

export function headInjuryAnticoagulant(ctx: RuleContext): Finding[] {
  const s = ctx.snapshot;
  const atMs = Date.parse(s.at);
  const blood = ctx.active.filter(
    (m) =>
      hasClass(m, 'anticoagulant') ||
      (hasClass(m, 'antiplatelet') && !(m.ingredients.length === 1 && m.ingredients[0] === 'aspirin')),
  );
  if (blood.length === 0) return [];
  const injuries = conditionsIn(s.conditions, 'headInjury').filter(
    (c) => !c.onset || atMs - Date.parse(c.onset) <= RECENT_MS,
  );
  const complaint = s.chiefComplaint && HEAD_INJURY_TEXT.test(s.chiefComplaint);
  if (injuries.length === 0 && !complaint) return [];
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
