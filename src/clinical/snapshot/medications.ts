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
  return { source, rxnorm, display, status: r.status, ingredients, classes, draft };
}

export function isMedicationOrder(r: Resource): r is MedicationRequest | MedicationStatement {
  return r.resourceType === 'MedicationRequest' || r.resourceType === 'MedicationStatement';
}
