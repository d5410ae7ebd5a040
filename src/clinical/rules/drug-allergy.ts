// Draft order against recorded allergies: same drug, same class, and penicillin ↔ cephalosporin/carbapenem
// cross-reactivity (§2.13: about 2 %, driven by similar side chains rather than the shared ring).
import { suggest } from '../actions.ts';
import type { Topic } from '../topics.ts';
import type { AllergyFact, Finding, MedicationFact, Severity } from '../types.ts';
import { finding, type RuleContext } from './context.ts';

/** Classes specific enough that an allergy to one member flags the others. */
const SAME_CLASS = [
  'penicillin',
  'cephalosporin',
  'carbapenem',
  'sulfonamide-antibiotic',
  'nsaid',
  'opioid',
  'ace-inhibitor',
];
const CROSS: Array<[string, string]> = [
  ['penicillin', 'cephalosporin'],
  ['penicillin', 'carbapenem'],
  ['cephalosporin', 'penicillin'],
  ['cephalosporin', 'carbapenem'],
];

interface Conflict {
  severity: Severity;
  kind: 'same drug' | 'same class' | 'cross-reactivity';
  what: string;
}

export function allergyConflict(a: AllergyFact, m: MedicationFact): Conflict | undefined {
  const same = (a.ingredients ?? []).filter((i) => m.ingredients.includes(i));
  if (same.length > 0) return { severity: 'critical', kind: 'same drug', what: same.join(', ') };
  const cls = SAME_CLASS.filter((c) => a.classes.includes(c) && m.classes.includes(c));
  if (cls.length > 0) return { severity: 'critical', kind: 'same class', what: cls.join(', ') };
  const cross = CROSS.filter(([ac, mc]) => a.classes.includes(ac) && m.classes.includes(mc));
  if (cross.length > 0) {
    return {
      severity: a.criticality === 'high' ? 'critical' : 'warning',
      kind: 'cross-reactivity',
      what: `${cross[0][0]} → ${cross[0][1]}`,
    };
  }
  return undefined;
}

/**
 * Retrieval text: cross-reactivity cites the side-chain passage; a direct (same drug/class) clash with a
 * penicillin label cites the risk tiers, which help judge how real the recorded allergy is. Other classes
 * name only their own class, so they never borrow a penicillin passage by wording alone.
 */
function allergyQuery(c: Conflict, penicillin: boolean, criticality?: string): string {
  if (c.kind === 'cross-reactivity')
    return `cross-reactivity between penicillins and cephalosporins, similar side chains (${c.what})`;
  // The quote is the sentence sharing most words with this text: name the tier the record suggests.
  if (penicillin && criticality === 'high')
    return 'penicillin allergy risk tiers: high risk covers anaphylaxis, positive skin test, recurrent reactions';
  if (penicillin) return 'penicillin allergy risk tiers: low, moderate and high risk histories';
  return `drug allergy ${c.kind}: ${c.what}`;
}

export function drugAllergy(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const m of ctx.drafts) {
    for (const a of ctx.snapshot.allergies) {
      const c = allergyConflict(a, m);
      if (!c) continue;
      const topics: Topic[] = ['drug-allergy'];
      if (a.classes.includes('penicillin') || m.classes.includes('penicillin'))
        topics.push('penicillin-allergy');
      if (c.kind === 'cross-reactivity') topics.push('penicillin-allergy');
      const crit = a.criticality ? ` (criticality ${a.criticality})` : '';
      out.push(
        finding({
          id: 'drug-allergy',
          severity: c.severity,
          summary:
            c.kind === 'cross-reactivity'
              ? `${m.display} ordered with a recorded ${a.display} allergy: possible cross-reactivity.`
              : `${m.display} ordered despite a recorded ${a.display} allergy (${c.kind}).`,
          detail:
            c.kind === 'cross-reactivity'
              ? [
                  `Recorded allergy: ${a.display}${crit}. Ordered: ${m.display} (${c.what}).`,
                  'Cross-reactivity between penicillins and cephalosporins is low (about 2 %) and mostly follows similar side chains.',
                  'After a non-anaphylactic reaction many patients can take a cephalosporin; after anaphylaxis choose one with a dissimilar side chain.',
                ].join('\n')
              : `Recorded allergy: ${a.display}${crit}. Ordered: ${m.display}, which shares the ${c.kind === 'same drug' ? 'ingredient' : 'class'} ${c.what}.`,
          evidence: [a.source, m.source],
          topics,
          query: allergyQuery(c, topics.includes('penicillin-allergy'), a.criticality),
          // The corpus covers penicillin allergy only: other allergies cite nothing rather than it.
          citeOnly: topics.includes('penicillin-allergy') ? 'penicillin-allergy' : 'non-penicillin-allergy',
          suggestions: [
            suggest('remove-draft-order', { targetRef: m.source, isRecommended: c.severity === 'critical' }),
          ],
        }),
      );
    }
  }
  return out;
}
