// Draft order that duplicates a current (or another draft) medication: same ingredient, or two members of a
// class where doubling up adds harm without benefit.
import { suggest } from '../actions.ts';
import type { Finding, MedicationFact } from '../types.ts';
import { finding, type RuleContext } from './context.ts';

/** Class groups where two concurrent members count as duplicate therapy. */
const DUPLICATE_GROUPS: Array<{ label: string; classes: string[] }> = [
  { label: 'anticoagulants', classes: ['anticoagulant'] },
  { label: 'NSAIDs', classes: ['nsaid'] },
  { label: 'renin–angiotensin blockers (ACE inhibitor/ARB)', classes: ['ace-inhibitor', 'arb'] },
  { label: 'SSRIs', classes: ['ssri'] },
  { label: 'opioids', classes: ['opioid'] },
  { label: 'sulfonylureas', classes: ['sulfonylurea'] },
  { label: 'proton-pump inhibitors', classes: ['ppi'] },
  { label: 'benzodiazepines', classes: ['benzodiazepine'] },
];

function groupOf(m: MedicationFact): string[] {
  return DUPLICATE_GROUPS.filter((g) => g.classes.some((c) => m.classes.includes(c))).map((g) => g.label);
}

export function duplicateTherapy(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const drafts = ctx.drafts;
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i];
    const others = [...ctx.active, ...drafts.slice(0, i)];
    for (const o of others) {
      const shared = d.ingredients.filter((x) => o.ingredients.includes(x));
      const groups = groupOf(d).filter((g) => groupOf(o).includes(g));
      if (shared.length === 0 && groups.length === 0) continue;
      const what = shared.length > 0 ? `the same ingredient (${shared.join(', ')})` : `two ${groups[0]}`;
      out.push(
        finding({
          id: 'duplicate-therapy',
          severity: 'warning',
          summary: `${d.display} duplicates ${o.draft ? 'another draft order' : 'a current medication'}: ${what}.`,
          detail: `Draft: ${d.display}. ${o.draft ? 'Other draft' : 'Current'}: ${o.display}. Check that both are intended; if one replaces the other, stop the old one.`,
          evidence: [d.source, o.source],
          topics: ['duplicate-therapy'],
          citeOnly: 'duplicate-therapy',
          query: `duplicate therapy ${shared[0] ?? groups[0]}`,
          suggestions: [suggest('remove-draft-order', { targetRef: d.source, isRecommended: true })],
        }),
      );
      break;
    }
  }
  return out;
}
