// Drug classes from our own ingredient table (clinical-sources §4.5, §2.13, §2.14, §2.22–2.24). A medication
// is matched by RxNorm ingredient code, by a known clinical-drug (SCD) code from the bundled data, and by
// ingredient or brand names in its text, because most real orders carry SCD codes, not ingredients.
import { SNOMED } from './codes.ts';
import { INGREDIENTS, type Ingredient } from './drug-ingredients.ts';

export const DRUG_CLASSES = [
  'anticoagulant',
  'vka',
  'doac',
  'heparin',
  'antiplatelet',
  'nsaid',
  'penicillin',
  'cephalosporin',
  'carbapenem',
  'beta-lactam',
  'sulfonamide-antibiotic',
  'antibacterial',
  'metformin',
  'insulin',
  'sulfonylurea',
  'opioid',
  'ace-inhibitor',
  'arb',
  'potassium-sparing-diuretic',
  'potassium-supplement',
  /** Raises potassium without being a diuretic or supplement (trimethoprim). */
  'potassium-raising',
  'diuretic',
  'qt-prolonging',
  'serotonergic',
  'ssri',
  'snri',
  'tricyclic',
  'maoi',
  'triptan',
  'amphetamine',
  'strong-cyp3a4-inhibitor',
  'strong-cyp3a4-inducer',
  'cyp1a2-inhibitor',
  'protease-inhibitor',
  'ppi',
  'statin-cyp3a4',
  'ergot',
  'benzodiazepine',
  'z-drug',
  'first-gen-antihistamine',
  'gabapentinoid',
  'renally-cleared',
] as const;
export type DrugClass = (typeof DRUG_CLASSES)[number];

const byCode = new Map<string, Ingredient>();
/** A brand may name a combination (co-trimoxazole), so a name maps to every ingredient it stands for. */
const byName = new Map<string, Ingredient[]>();
for (const ing of INGREDIENTS) {
  for (const c of [...(ing.rxcui ?? []), ...(ing.scd ?? [])]) byCode.set(c, ing);
  for (const n of [ing.key, ...(ing.names ?? [])]) byName.set(n, [...(byName.get(n) ?? []), ing]);
}

export interface DrugMatch {
  ingredients: string[];
  classes: DrugClass[];
}

const WORD = /[a-z][a-z-]*/g;

/**
 * Ingredients and classes of a medication from its codes and text. Text is split into words once and
 * looked up as single words and word pairs, so the cost is linear in the text length.
 */
export function classifyDrug(codes: readonly string[], texts: readonly string[]): DrugMatch {
  const found = new Map<string, Ingredient>();
  for (const c of codes) {
    const ing = byCode.get(c);
    if (ing) found.set(ing.key, ing);
  }
  for (const t of texts) {
    const words = t.toLowerCase().match(WORD) ?? [];
    for (let i = 0; i < words.length; i++) {
      for (const one of byName.get(words[i]) ?? []) found.set(one.key, one);
      if (i + 1 < words.length) {
        for (const two of byName.get(`${words[i]} ${words[i + 1]}`) ?? []) found.set(two.key, two);
      }
    }
  }
  const classes = new Set<DrugClass>();
  for (const ing of found.values()) for (const c of ing.classes) classes.add(c);
  return { ingredients: [...found.keys()].sort(), classes: [...classes].sort() };
}

/** Allergy substances also name classes directly ("penicillins", "sulfa drugs", "cephalosporins"). */
const ALLERGY_CLASS_WORDS: Array<[RegExp, DrugClass[]]> = [
  [/penicillin|beta[- ]?lactam antibiotic/i, ['penicillin', 'beta-lactam']],
  [/cephalosporin/i, ['cephalosporin', 'beta-lactam']],
  [/carbapenem/i, ['carbapenem', 'beta-lactam']],
  [/sulfa\b|sulpha|sulfonamide|sulphonamide/i, ['sulfonamide-antibiotic']],
  [/\bnsaid|non[- ]?steroidal anti[- ]?inflammatory/i, ['nsaid']],
  [/\bopioid|opiate/i, ['opioid']],
  [/ace inhibitor|angiotensin[- ]converting/i, ['ace-inhibitor']],
];

/** SNOMED allergy/substance codes that name a class (only codes listed in clinical-sources §4.4 / the test data). */
const ALLERGY_CLASS_CODES: Record<string, DrugClass[]> = {
  [SNOMED.penicillinAllergy]: ['penicillin', 'beta-lactam'],
  [SNOMED.sulfonamideSubstance]: ['sulfonamide-antibiotic'],
};

export function classifyAllergen(codes: readonly string[], texts: readonly string[]): DrugMatch {
  const m = classifyDrug(codes, texts);
  const classes = new Set<DrugClass>(m.classes);
  for (const c of codes) for (const k of ALLERGY_CLASS_CODES[c] ?? []) classes.add(k);
  for (const t of texts)
    for (const [re, ks] of ALLERGY_CLASS_WORDS) if (re.test(t)) for (const k of ks) classes.add(k);
  return { ingredients: m.ingredients, classes: [...classes].sort() };
}
