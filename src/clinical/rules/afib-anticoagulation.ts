// AF with CHA2DS2-VASc at the 2023 "recommended" threshold (≥ 2 men, ≥ 3 women; §1.6) and no anticoagulant
// among current or draft orders. Link-only suggestion: the decision needs bleeding-risk review.
import { suggest } from '../actions.ts';
import type { Finding } from '../types.ts';
import { finding, hasClass, type RuleContext } from './context.ts';

export function afibAnticoagulation(ctx: RuleContext): Finding[] {
  const score = ctx.scores.cha2ds2vasc;
  if (score.total === null || score.band !== 'anticoagulation-recommended') return [];
  if ([...ctx.active, ...ctx.drafts].some((m) => hasClass(m, 'anticoagulant'))) return [];
  const antiplatelet = ctx.active.filter((m) => hasClass(m, 'antiplatelet'));
  return [
    finding({
      id: 'afib-anticoagulation',
      severity: 'warning',
      summary: `Atrial fibrillation with CHA2DS2-VASc ${score.total} and no anticoagulant on record.`,
      detail: [
        `CHA2DS2-VASc is ${score.total}; the 2023 US guideline recommends oral anticoagulation from 2 in men and 3 in women,`,
        'with a DOAC preferred over warfarin unless there is moderate–severe mitral stenosis or a mechanical valve.',
        'Aspirin or clopidogrel is not a substitute. Use bleeding scores to fix modifiable risks, not to deny treatment.',
        antiplatelet.length > 0
          ? `Antiplatelet on record: ${antiplatelet.map((m) => m.display).join('; ')}.`
          : '',
      ]
        .filter((l) => l !== '')
        .join('\n'),
      evidence: [...score.evidence, ...antiplatelet.map((m) => m.source)],
      topics: ['afib-anticoagulation', 'bleeding-risk'],
      query: 'atrial fibrillation CHA2DS2-VASc oral anticoagulation DOAC recommended threshold',
      suggestions: [suggest('consider-anticoagulation')],
    }),
  ];
}
