// Keyword tables for the nurse's free-text chief complaint. Free text is untrusted, so it is only ever used
// to make a patient MORE urgent: a missed keyword leaves the objective rules in charge, a false match
// over-triages. No negation handling on purpose ("denies SI" still raises): dropping a match on a
// guessed negation could under-triage.
import type { AllergyFact } from './types.ts';

/** ESI decision point B high-risk presentations named in a chief complaint (clinical-sources §1.5). */
export const HIGH_RISK_COMPLAINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/chest (pain|pressure|tightness)/i, 'chest pain'],
  [
    /stroke|facial droop|face droop|slurred speech|(one|1)[- ]sided weakness|hemiparesis/i,
    'possible stroke signs',
  ],
  [
    /suicid|self[- ]harm|kill(ing)? (my|him|her|them)sel(f|ves)|\b(end|ending|take|taking) (my|his|her|their) (own )?li(fe|ves)\b|\bwants? to die\b|\bnot want(ing)? to (live|be alive)\b/i,
    'suicidal thoughts or self-harm',
  ],
  // "SI" (suicidal ideation) in capitals only, and never the sacroiliac joint.
  [/\bSI\b(?!\s*([Jj][Oo][Ii][Nn][Tt]|[Jj][Tt])\b)/, 'suicidal thoughts or self-harm'],
  [/overdose/i, 'an overdose'],
  [/anaphyla/i, 'anaphylaxis'],
  [
    /angio-?o?edema|(throat|tongue) (swelling|swollen|closing|tight)|swollen (throat|tongue)|swelling of the (throat|tongue)/i,
    'possible airway swelling',
  ],
  [/seizure|convuls/i, 'a seizure'],
];

/** The high-risk presentations a complaint names, each label once. */
export function highRiskComplaints(text: string | undefined): string[] {
  if (!text) return [];
  const labels = HIGH_RISK_COMPLAINTS.filter(([re]) => re.test(text)).map(([, label]) => label);
  return [...new Set(labels)];
}

/**
 * Words for an acute allergic reaction: anaphylaxis itself, or the skin/mucosal involvement of the
 * NIAID/FAAN clinical criterion (hives, angioedema, swollen lips/tongue/throat).
 */
const ALLERGIC_REACTION_TEXT =
  /anaphyla|allergic reaction|angio-?o?edema|urticaria|\bhives\b|(throat|tongue|lips?|face|facial|mouth) (swelling|swollen|closing|tight)|swollen (throat|tongue|lips?|face|mouth)|swelling of the (throat|tongue|lips?|face|mouth)/i;

export function mentionsAllergicReaction(text: string | undefined): boolean {
  return text !== undefined && ALLERGIC_REACTION_TEXT.test(text);
}

const ALLERGEN_NOISE =
  /\b(allergy|allergic|intolerance) (to|of)\b|\((substance|finding|disorder|product)\)/gi;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The recorded allergy whose substance the complaint names ("after eating peanuts" with a Peanut
 * allergy on file): exposure to a known allergen, the third NIAID/FAAN criterion. Names shorter than
 * four letters are ignored so abbreviations cannot match by accident.
 */
export function namedRecordedAllergen(
  text: string | undefined,
  allergies: readonly AllergyFact[],
): AllergyFact | undefined {
  if (!text) return undefined;
  for (const a of allergies) {
    const names = [a.display, ...a.codes.map((c) => c.display ?? ''), ...(a.ingredients ?? [])]
      .map((n) => n.replace(ALLERGEN_NOISE, ' ').replace(/\s+/g, ' ').trim().toLowerCase())
      .filter((n) => n.length >= 4 && n !== 'unnamed substance');
    for (const n of new Set(names)) {
      // Word start only, so "peanut" matches "peanuts" but "ant" never matches "giant".
      if (new RegExp(`\\b${escapeRegExp(n)}`, 'i').test(text)) return a;
    }
  }
  return undefined;
}
