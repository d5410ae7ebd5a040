// Chief-complaint concepts for the triage rules, in plain words after normalisation (complaint-text.ts
// spells out CP, SOB, abd, N/V, LOC, SI/HI, PV, ?torsion and the like). Phrase syntax is in
// complaint-matcher.ts. Each concept names a situation of clinical-sources §1.5.1 or a sign a rule combines.
import { type ConceptMatch, ConceptMatcher } from './complaint-matcher.ts';
import { ACUTE_CONCEPT_PHRASES } from './concept-phrases-acute.ts';
import { BODY_CONCEPT_PHRASES } from './concept-phrases-body.ts';

export const CONCEPT_PHRASES = { ...ACUTE_CONCEPT_PHRASES, ...BODY_CONCEPT_PHRASES } as const;

export type Concept = keyof typeof CONCEPT_PHRASES;

export const complaintMatcher = new ConceptMatcher<Concept>(CONCEPT_PHRASES);

/** Concepts the complaint asserts now (not denied, not past history), with the words that named them. */
export function complaintConcepts(text: string | undefined): Map<Concept, string> {
  return complaintMatcher.present(text);
}

export type { ConceptMatch };
