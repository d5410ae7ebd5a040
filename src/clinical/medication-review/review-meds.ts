// Medications as the review sees them: the table's ingredients and classes (matched by RxNorm ingredient
// code, ingredient key and names in the display), the strength from the RxNorm display ("Simvastatin 20 MG
// Oral Tablet") and the daily dose when the order states how much and how often.
import { fmt } from '../format.ts';
import type { MedicationFact } from '../types.ts';
import type { DrugTable, Matcher } from './drug-table.ts';

export interface ReviewMed {
  fact: MedicationFact;
  ingredients: string[];
  classes: ReadonlySet<string>;
  /** mg per unit (tablet) from the display, when the product has one ingredient and states it. */
  strengthMg?: number;
  /** mg a day from the dosage, when amount and frequency are both stated. */
  dailyMg?: number;
}

interface TableIndex {
  byCode: Map<string, DrugTable['ingredients'][number]>;
  byName: Map<string, DrugTable['ingredients'][number]>;
}

const indexes = new WeakMap<DrugTable, TableIndex>();

function indexOf(t: DrugTable): TableIndex {
  let ix = indexes.get(t);
  if (!ix) {
    ix = { byCode: new Map(), byName: new Map() };
    for (const ing of t.ingredients) {
      for (const c of ing.rxcui ?? []) ix.byCode.set(c, ing);
      for (const n of [ing.key, ...(ing.names ?? [])]) ix.byName.set(n, ing);
    }
    indexes.set(t, ix);
  }
  return ix;
}

const WORD = /[a-z][a-z-]*/g;
const STRENGTH_MG = /(\d+(?:\.\d+)?)\s*mg\b(?!\s*\/)/i;
const UNIT_DOSE = new Set(['tablet', 'tablets', 'tab', '{tbl}', 'capsule', 'capsules', 'cap', '{cap}', '1']);

function dailyMg(fact: MedicationFact, strengthMg: number | undefined): number | undefined {
  const d = fact.dose;
  if (!d?.timesPerDay) return undefined;
  if (d.unit === 'mg') return d.amount * d.timesPerDay;
  if ((d.unit === undefined || UNIT_DOSE.has(d.unit)) && strengthMg !== undefined)
    return strengthMg * d.amount * d.timesPerDay;
  return undefined;
}

export function reviewMed(fact: MedicationFact, table: DrugTable): ReviewMed {
  const ix = indexOf(table);
  const found = new Map<string, DrugTable['ingredients'][number]>();
  for (const c of fact.rxnorm) {
    const ing = ix.byCode.get(c);
    if (ing) found.set(ing.key, ing);
  }
  for (const k of fact.ingredients) {
    const ing = ix.byName.get(k);
    if (ing) found.set(ing.key, ing);
  }
  const words = fact.display.toLowerCase().match(WORD) ?? [];
  for (let i = 0; i < words.length; i++) {
    const one = ix.byName.get(words[i]);
    if (one) found.set(one.key, one);
    const two = i + 1 < words.length ? ix.byName.get(`${words[i]} ${words[i + 1]}`) : undefined;
    if (two) found.set(two.key, two);
  }
  const ingredients = [...found.keys()].sort();
  const classes = new Set([...found.values()].flatMap((i) => i.classes));
  const m = ingredients.length === 1 ? STRENGTH_MG.exec(fact.display) : null;
  const strengthMg = m ? Number(m[1]) : undefined;
  const daily = dailyMg(fact, strengthMg);
  return {
    fact,
    ingredients,
    classes,
    ...(strengthMg !== undefined ? { strengthMg } : {}),
    ...(daily !== undefined ? { dailyMg: daily } : {}),
  };
}

export function matches(m: ReviewMed, x: Matcher): boolean {
  return (
    (x.classes ?? []).some((c) => m.classes.has(c)) ||
    (x.ingredients ?? []).some((i) => m.ingredients.includes(i))
  );
}

/** Two records of one product (a renewal) are not an interaction with itself. */
export function sameDrug(a: ReviewMed, b: ReviewMed): boolean {
  return a.ingredients.length > 0 && a.ingredients.every((i) => b.ingredients.includes(i));
}

/** "Digoxin 0.125 MG Oral Tablet (since 2017-08-17)" or "(draft order)": what a clinician can check. */
export function medLabel(m: ReviewMed): string {
  const when = m.fact.draft
    ? 'draft order'
    : m.fact.since
      ? `since ${m.fact.since.slice(0, 10)}`
      : 'date not recorded';
  return `${m.fact.display} (${when})`;
}

/** What about a drug would make a hidden line worth showing again: the drug, its strength, its dose. */
export function medFingerprint(m: ReviewMed): string {
  const what = m.ingredients.length ? m.ingredients.join('+') : m.fact.display.toLowerCase();
  return `${what}@${m.strengthMg ?? '?'}mg/${m.dailyMg ?? '?'}mg-day`;
}

export function mgText(n: number): string {
  return `${fmt(n, 3)} mg`;
}
