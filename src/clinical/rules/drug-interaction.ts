// Draft order against current and other draft medications: the 15 ONC high-priority interactions
// (Phansalkar et al., JAMIA 2012; §2.24) plus a local list of warfarin bleeding-risk partners (§2.23, rated
// high locally; not on the ONC list).
import { suggest } from '../actions.ts';
import type { Topic } from '../topics.ts';
import type { Finding, MedicationFact, Severity } from '../types.ts';
import { finding, type RuleContext } from './context.ts';

type Matcher = { classes?: string[]; ingredients?: string[] };

interface Interaction {
  id: string;
  a: Matcher;
  b: Matcher;
  label: string;
  severity: Severity;
  source: string;
  topics: Topic[];
  /** Retrieval text when the label alone would not pick the right passage. */
  query?: string;
}

const MAOI: Matcher = { classes: ['maoi'] };
const STRONG_3A4_INHIBITOR: Matcher = { classes: ['strong-cyp3a4-inhibitor', 'protease-inhibitor'] };
const ONC = 'ONC high-priority DDI list (Phansalkar 2012)';
const LOCAL = 'CiteCare local warfarin list (label-based)';

export const INTERACTIONS: readonly Interaction[] = [
  {
    id: 'onc-1',
    a: { classes: ['amphetamine'] },
    b: MAOI,
    label: 'amphetamine + MAO inhibitor',
    severity: 'critical',
    source: `${ONC} #1`,
    topics: ['drug-interaction'],
  },
  {
    id: 'onc-2',
    a: { ingredients: ['atazanavir'] },
    b: { classes: ['ppi'] },
    label: 'atazanavir + proton-pump inhibitor',
    severity: 'critical',
    source: `${ONC} #2`,
    topics: ['drug-interaction'],
  },
  {
    id: 'onc-3',
    a: { ingredients: ['febuxostat'] },
    b: { ingredients: ['azathioprine', 'mercaptopurine'] },
    label: 'febuxostat + azathioprine/mercaptopurine',
    severity: 'critical',
    source: `${ONC} #3`,
    topics: ['drug-interaction'],
  },
  {
    id: 'onc-4',
    a: { classes: ['ssri', 'snri'] },
    b: MAOI,
    label: 'SSRI/SNRI + MAO inhibitor',
    severity: 'critical',
    source: `${ONC} #4`,
    topics: ['drug-interaction', 'serotonin-syndrome'],
  },
  {
    id: 'onc-5',
    a: { ingredients: ['irinotecan'] },
    b: { classes: ['strong-cyp3a4-inhibitor'] },
    label: 'irinotecan + strong CYP3A4 inhibitor',
    severity: 'critical',
    source: `${ONC} #5`,
    topics: ['drug-interaction'],
  },
  {
    id: 'onc-6',
    a: { classes: ['opioid'] },
    b: MAOI,
    label: 'opioid (e.g. meperidine) + MAO inhibitor',
    severity: 'critical',
    source: `${ONC} #6`,
    topics: ['drug-interaction', 'serotonin-syndrome'],
  },
  {
    id: 'onc-7',
    a: { classes: ['tricyclic'] },
    b: MAOI,
    label: 'tricyclic antidepressant + MAO inhibitor',
    severity: 'critical',
    source: `${ONC} #7`,
    topics: ['drug-interaction', 'serotonin-syndrome'],
  },
  {
    id: 'onc-8',
    a: { classes: ['qt-prolonging'] },
    b: { classes: ['qt-prolonging'] },
    label: 'two QT-prolonging drugs',
    severity: 'critical',
    source: `${ONC} #8`,
    topics: ['drug-interaction', 'qt-prolongation'],
    query: 'alerting: two or more Known Risk QT-prolonging drugs together are a high-priority interaction',
  },
  {
    id: 'onc-9',
    a: { ingredients: ['ramelteon'] },
    b: { ingredients: ['fluvoxamine'] },
    label: 'ramelteon + fluvoxamine',
    severity: 'critical',
    source: `${ONC} #9`,
    topics: ['drug-interaction'],
  },
  {
    id: 'onc-10',
    a: { classes: ['protease-inhibitor'] },
    b: { classes: ['strong-cyp3a4-inducer'] },
    label: 'protease inhibitor + strong CYP3A4 inducer',
    severity: 'critical',
    source: `${ONC} #10`,
    topics: ['drug-interaction'],
  },
  {
    id: 'onc-11',
    a: { classes: ['statin-cyp3a4'] },
    b: STRONG_3A4_INHIBITOR,
    label: 'simvastatin/lovastatin + strong CYP3A4 inhibitor',
    severity: 'critical',
    source: `${ONC} #11`,
    topics: ['drug-interaction'],
  },
  {
    id: 'onc-12',
    a: { classes: ['ergot'] },
    b: STRONG_3A4_INHIBITOR,
    label: 'ergot alkaloid + strong CYP3A4 inhibitor',
    severity: 'critical',
    source: `${ONC} #12`,
    topics: ['drug-interaction'],
  },
  {
    id: 'onc-13',
    a: { ingredients: ['tizanidine'] },
    b: { ingredients: ['ciprofloxacin', 'fluvoxamine'] },
    label: 'tizanidine + CYP1A2 inhibitor',
    severity: 'critical',
    source: `${ONC} #13`,
    topics: ['drug-interaction'],
  },
  {
    id: 'onc-14',
    a: { ingredients: ['tranylcypromine'] },
    b: { ingredients: ['procarbazine'] },
    label: 'tranylcypromine + procarbazine',
    severity: 'critical',
    source: `${ONC} #14`,
    topics: ['drug-interaction'],
  },
  {
    id: 'onc-15',
    a: { classes: ['triptan'] },
    b: MAOI,
    label: 'triptan + MAO inhibitor',
    severity: 'critical',
    source: `${ONC} #15`,
    topics: ['drug-interaction', 'serotonin-syndrome'],
  },
  {
    id: 'warfarin-bleeding',
    a: { ingredients: ['warfarin'] },
    b: { classes: ['nsaid', 'antiplatelet', 'ssri', 'snri'] },
    label: 'warfarin + drug adding bleeding risk',
    severity: 'warning',
    source: LOCAL,
    topics: ['drug-interaction', 'warfarin', 'bleeding-risk'],
    query: 'warfarin additive bleeding risk: NSAIDs, aspirin, clopidogrel, SSRIs or SNRIs (platelet effects)',
  },
  {
    id: 'warfarin-inr',
    a: { ingredients: ['warfarin'] },
    b: {
      ingredients: [
        'amiodarone',
        'sulfamethoxazole',
        'trimethoprim',
        'fluconazole',
        'metronidazole',
        'ciprofloxacin',
        'clarithromycin',
        'erythromycin',
      ],
    },
    label: 'warfarin + drug raising the INR',
    severity: 'warning',
    source: LOCAL,
    topics: ['drug-interaction', 'warfarin'],
    query: 'warfarin: drugs that raise the INR (CYP2C9 inhibitors, amiodarone, antibiotics)',
  },
];

function matches(m: MedicationFact, x: Matcher): boolean {
  return (
    (x.classes ?? []).some((c) => m.classes.includes(c)) ||
    (x.ingredients ?? []).some((i) => m.ingredients.includes(i))
  );
}

export function interactionBetween(d: MedicationFact, o: MedicationFact): Interaction | undefined {
  for (const ix of INTERACTIONS) {
    if ((matches(d, ix.a) && matches(o, ix.b)) || (matches(d, ix.b) && matches(o, ix.a))) {
      // Two QT drugs means two different ingredients, not one product matched twice.
      if (ix.id === 'onc-8' && d.ingredients.every((i) => o.ingredients.includes(i))) continue;
      return ix;
    }
  }
  return undefined;
}

export function drugInteraction(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const drafts = ctx.drafts;
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i];
    for (const o of [...ctx.active, ...drafts.slice(0, i)]) {
      const ix = interactionBetween(d, o);
      if (!ix) continue;
      out.push(
        finding({
          id: 'drug-interaction',
          severity: ix.severity,
          summary: `${d.display} with ${o.display}: ${ix.label}.`,
          detail: `Interaction: ${ix.label} (${ix.source}). ${o.draft ? 'Both are draft orders.' : `${o.display} is a current medication.`} Choose an alternative or document why the combination is intended.`,
          evidence: [d.source, o.source],
          topics: ix.topics,
          query: ix.query ?? `drug interaction ${ix.label}`,
          suggestions: [
            suggest('remove-draft-order', { targetRef: d.source, isRecommended: ix.severity === 'critical' }),
          ],
        }),
      );
    }
  }
  return out;
}
