// Mental health and trauma rows of §1.5.1: suicidal or homicidal thoughts, violence, sexual assault,
// intoxication with an injury, and high-risk injury mechanisms; plus a head injury on an anticoagulant
// (ACEP 2023, §2.12), detected exactly as the finding of that id so the two never disagree.
import { headInjuryOnAntithrombotic } from '../rules/head-injury-anticoagulant.ts';
import { PASSAGE, SOURCE } from './passages.ts';
import { complaintHit, type TriageRule } from './types.ts';

export const MENTAL_HEALTH_TRAUMA_RULES: readonly TriageRule[] = [
  {
    id: 'suicidal-or-homicidal',
    level: 2,
    point: 'B',
    system: 'mental-health',
    source: SOURCE.pointB,
    passage: PASSAGE.suicidal,
    topic: 'suicide-risk',
    evaluate: (ctx) =>
      complaintHit(
        ctx,
        ['suicidal-ideation', 'homicidal-or-violent'],
        (w) => `The chief complaint mentions suicidal or homicidal thoughts or violence ("${w}")`,
      ),
  },
  {
    id: 'assault-or-intoxicated-injury',
    level: 2,
    point: 'B',
    system: 'mental-health',
    source: SOURCE.pointB,
    passage: PASSAGE.violence,
    topic: 'mental-health',
    evaluate({ signals }) {
      const c = signals.complaint;
      const assault = c.get('sexual-assault');
      if (assault !== undefined)
        return { reason: `Sexual assault ("${assault}"): a high-risk situation`, evidence: [] };
      const drunk = c.get('intoxicated');
      const injury = c.get('head-injury') ?? c.get('injury') ?? c.get('penetrating-injury');
      if (drunk === undefined || injury === undefined) return undefined;
      return {
        reason: `Alcohol or intoxication ("${drunk}") with an injury ("${injury}"): a high-risk situation`,
        evidence: [],
      };
    },
  },
  {
    id: 'high-risk-mechanism',
    level: 2,
    point: 'B',
    system: 'trauma',
    source: SOURCE.pointB,
    passage: PASSAGE.mechanism,
    topic: 'trauma',
    evaluate(ctx) {
      const c = ctx.signals.complaint;
      const direct = complaintHit(
        ctx,
        ['penetrating-injury', 'high-risk-mechanism'],
        (w) => `A high-risk injury mechanism ("${w}"), even if bleeding is controlled`,
      );
      if (direct) return direct;
      const loc = c.get('loss-of-consciousness');
      const crash = c.get('vehicle-crash') ?? c.get('head-injury');
      if (loc === undefined || crash === undefined) return undefined;
      return {
        reason: `"${crash}" with loss of consciousness ("${loc}"): a high-risk mechanism`,
        evidence: [],
      };
    },
  },
  {
    id: 'head-injury-anticoagulant',
    level: 2,
    point: 'B',
    system: 'trauma',
    source: SOURCE.headInjury,
    passage: PASSAGE.headInjuryAnticoagulant,
    topic: 'head-injury',
    evaluate({ s }) {
      const h = headInjuryOnAntithrombotic(s);
      if (!h) return undefined;
      const drugs = h.drugs.map((m) => m.ingredients[0] ?? m.display).join(', ');
      return {
        reason: `Head injury while taking ${drugs}: a high-risk situation (bleeding risk; CT decision rules do not apply)`,
        evidence: [...h.injuries.map((c) => c.source), ...h.drugs.map((m) => m.source)],
      };
    },
  },
];
