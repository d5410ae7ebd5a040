// Medications: active MedicationRequest/MedicationStatement (RxNorm kept as given, classes from our table),
// plus draft orders from order-select/order-sign marked draft: true.
import type { Medication, MedicationRequest, MedicationStatement, Resource } from '@medplum/fhirtypes';
import { SYSTEM } from '../codes.ts';
import { classifyDrug } from '../drug-classes.ts';
import type { MedicationFact } from '../types.ts';
import { refOf, textOf } from './fhir-read.ts';

const ACTIVE_REQUEST: ReadonlySet<string> = new Set(['active']);
const ACTIVE_STATEMENT: ReadonlySet<string> = new Set(['active', 'intended']);

export type MedicationLookup = (reference: string | undefined) => Medication | undefined;

function medicationConcept(
  r: MedicationRequest | MedicationStatement,
  lookup: MedicationLookup,
): MedicationRequest['medicationCodeableConcept'] {
  if (r.medicationCodeableConcept) return r.medicationCodeableConcept;
  const med = lookup(r.medicationReference?.reference);
  if (med?.code) return med.code;
  return r.medicationReference?.display ? { text: r.medicationReference.display } : undefined;
}

export function medicationFact(
  r: MedicationRequest | MedicationStatement,
  lookup: MedicationLookup,
  draft: boolean,
): MedicationFact | undefined {
  const source = refOf(r);
  if (!source) return undefined;
  if (!draft) {
    const ok =
      r.resourceType === 'MedicationRequest' ? ACTIVE_REQUEST.has(r.status) : ACTIVE_STATEMENT.has(r.status);
    if (!ok) return undefined;
    if (r.resourceType === 'MedicationRequest' && r.doNotPerform) return undefined;
  }
  const cc = medicationConcept(r, lookup);
  const rxnorm: string[] = [];
  const allCodes: string[] = [];
  const texts: string[] = [];
  for (const c of cc?.coding ?? []) {
    if (c.code) {
      allCodes.push(c.code);
      if (c.system === SYSTEM.rxnorm) rxnorm.push(c.code);
    }
    if (c.display) texts.push(c.display);
  }
  if (cc?.text) texts.push(cc.text);
  const display = textOf(cc) || 'unnamed medication';
  const { ingredients, classes } = classifyDrug(rxnorm.length > 0 ? rxnorm : allCodes, texts);
  const since =
    r.resourceType === 'MedicationRequest'
      ? r.authoredOn
      : (r.effectivePeriod?.start ?? r.effectiveDateTime ?? r.dateAsserted);
  const dose = doseOf(r);
  return {
    source,
    rxnorm,
    display,
    status: r.status,
    ingredients,
    classes,
    draft,
    ...(since ? { since } : {}),
    ...(dose ? { dose } : {}),
  };
}

const DAYS_PER_UNIT: Record<string, number> = { h: 1 / 24, d: 1, wk: 7, mo: 30 };

/** Amount per dose and doses a day from the first dosageInstruction; undefined when no amount is stated. */
function doseOf(r: MedicationRequest | MedicationStatement): MedicationFact['dose'] {
  const d = (r.resourceType === 'MedicationRequest' ? r.dosageInstruction : r.dosage)?.[0];
  const q = d?.doseAndRate?.[0]?.doseQuantity;
  if (typeof q?.value !== 'number') return undefined;
  const rep = d?.timing?.repeat;
  const days = rep?.periodUnit ? DAYS_PER_UNIT[rep.periodUnit] : undefined;
  const timesPerDay =
    rep?.frequency && rep.period && days ? (rep.frequency / rep.period) * (1 / days) : undefined;
  return {
    amount: q.value,
    ...(q.unit || q.code ? { unit: (q.unit ?? q.code)?.toLowerCase() } : {}),
    ...(timesPerDay ? { timesPerDay } : {}),
  };
}

export function isMedicationOrder(r: Resource): r is MedicationRequest | MedicationStatement {
  return r.resourceType === 'MedicationRequest' || r.resourceType === 'MedicationStatement';
}
