// What may stand outside the untrusted fence for a condition, medication or allergy. A display
// taken from a terminology coding (SNOMED CT, ICD-10, RxNorm, LOINC) or names from our own drug
// tables are labels; `code.text` and displays without such a coding were typed by people and may
// carry instructions, so they go inside the fence, and rule texts quoting them get the label instead.
import { SYSTEM } from '../clinical/codes.ts';
import type {
  AllergyFact,
  ClinicalSnapshot,
  Coding,
  ConditionFact,
  MedicationFact,
} from '../clinical/types.ts';

export const TERMINOLOGY_SYSTEMS: ReadonlySet<string> = new Set([
  SYSTEM.snomed,
  SYSTEM.icd10cm,
  SYSTEM.rxnorm,
  SYSTEM.loinc,
  'http://hl7.org/fhir/sid/icd-10',
]);

/** The display of the first coding from a terminology, when it has a code and a display. */
export function codedDisplay(codes: readonly Coding[]): string | undefined {
  for (const c of codes) {
    if (c.system && TERMINOLOGY_SYSTEMS.has(c.system) && c.code && c.display?.trim()) return c.display.trim();
  }
  return undefined;
}

export interface FactLabel {
  /** Shown outside the fence. */
  label: string;
  /** The people-typed display, when it differs from the label: shown only inside the fence. */
  freeText?: string;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function labelled(label: string, display: string): FactLabel {
  return display.trim() && !same(label, display) ? { label, freeText: display } : { label };
}

export function conditionLabel(c: ConditionFact): FactLabel {
  return labelled(codedDisplay(c.codes) ?? 'condition described in free text', c.display);
}

export function medicationLabel(m: MedicationFact): FactLabel {
  // The snapshot keeps no coding display for medicines: the names from our own tables stand in.
  const names = m.ingredients.join(' + ');
  return labelled(names || 'medication described in free text', m.display);
}

export function allergyLabel(a: AllergyFact): FactLabel {
  const names = (a.ingredients ?? []).join(' + ') || a.classes.join('/');
  return labelled(codedDisplay(a.codes) ?? (names || 'substance described in free text'), a.display);
}

/**
 * Replaces people-typed displays of the snapshot's facts, wherever a rule's reason or summary quotes
 * them, with the label that may stand outside the fence.
 */
export function freeTextScrubber(snapshot: ClinicalSnapshot): (text: string) => string {
  const pairs: Array<[string, string]> = [];
  const add = (l: FactLabel) => {
    // Very short displays cannot carry an instruction and would match inside ordinary words.
    if (l.freeText && l.freeText.trim().length >= 4) pairs.push([l.freeText.trim(), l.label]);
  };
  for (const c of snapshot.conditions) add(conditionLabel(c));
  for (const m of snapshot.medications) add(medicationLabel(m));
  for (const a of snapshot.allergies) add(allergyLabel(a));
  pairs.sort((x, y) => y[0].length - x[0].length);
  return (text) => {
    let out = text;
    for (const [free, label] of pairs) {
      // Case-insensitive where lower-casing keeps the length (indices must line up), exact elsewhere.
      const fold = out.toLowerCase().length === out.length && free.toLowerCase().length === free.length;
      const lower = fold ? out.toLowerCase() : out;
      const needle = fold ? free.toLowerCase() : free;
      if (!lower.includes(needle)) continue;
      let result = '';
      let from = 0;
      for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) {
        result += out.slice(from, i) + label;
        from = i + needle.length;
      }
      out = result + out.slice(from);
    }
    return out;
  };
}
