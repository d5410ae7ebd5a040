// AGS Beers Criteria 2023 (§2.14), the cheap part: drugs to avoid in adults 65 and over when newly ordered,
// and the opioid + benzodiazepine pair. Not applied without a known age.
import { suggest } from '../actions.ts';
import type { Finding, MedicationFact } from '../types.ts';
import { finding, hasClass, type RuleContext } from './context.ts';

/** Each entry's `query` points retrieval at the Beers section that lists the drug. */
const AVOID: Array<{ cls: string; why: string; query: string }> = [
  {
    cls: 'first-gen-antihistamine',
    why: 'strongly anticholinergic (confusion, constipation, falls)',
    query: 'Beers: avoid first-generation antihistamines and other strongly anticholinergic drugs',
  },
  {
    cls: 'benzodiazepine',
    why: 'delirium, falls and fractures',
    query: 'Beers: avoid benzodiazepines and Z-drugs (delirium, falls, fractures)',
  },
  {
    cls: 'z-drug',
    why: 'delirium, falls and fractures',
    query: 'Beers: avoid benzodiazepines and Z-drugs such as zolpidem (delirium, falls, fractures)',
  },
  {
    cls: 'sulfonylurea',
    why: 'prolonged hypoglycaemia',
    query: 'Beers: avoid sulfonylureas because of hypoglycaemia',
  },
];
const OPIOID_BENZO_QUERY = 'Beers drug-drug interactions to avoid: an opioid with a benzodiazepine';

export function beers(ctx: RuleContext): Finding[] {
  const age = ctx.snapshot.patient.ageYears;
  if (age === null || age < 65) return [];
  const out: Finding[] = [];
  for (const d of ctx.drafts) {
    const hit = AVOID.find((a) => hasClass(d, a.cls));
    let why = hit?.why;
    let query = hit?.query;
    let partner: MedicationFact | undefined;
    if (!why && (hasClass(d, 'opioid') || hasClass(d, 'benzodiazepine'))) {
      partner = ctx.active.find((o) =>
        hasClass(d, 'opioid') ? hasClass(o, 'benzodiazepine') : hasClass(o, 'opioid'),
      );
      if (partner) {
        why = 'opioid with a benzodiazepine (oversedation, respiratory depression)';
        query = OPIOID_BENZO_QUERY;
      }
    }
    if (!why || !query) continue;
    out.push(
      finding({
        id: 'beers-criteria',
        severity: 'info',
        summary: `${d.display} in a patient aged ${age}: on the Beers list of drugs to avoid (${why.split(' (')[0]}).`,
        detail: `For adults 65 and over the 2023 AGS Beers Criteria advise avoiding this drug: ${why}. Consider a safer alternative.`,
        evidence: [d.source, partner?.source, ctx.snapshot.patient.source],
        topics: ['beers-criteria', 'older-adults'],
        query,
        suggestions: [suggest('remove-draft-order', { targetRef: d.source })],
      }),
    );
  }
  return out;
}
