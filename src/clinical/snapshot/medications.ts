// Medications: active MedicationRequest/MedicationStatement (RxNorm kept as given, classes from our table),
// plus draft orders from order-select/order-sign marked draft: true.
import type {
  Medication,
  MedicationAdministration,
  MedicationRequest,
  MedicationStatement,
  Resource,
} from '@medplum/fhirtypes';
import { SYSTEM } from '../codes.ts';
import { classifyDrug } from '../drug-classes.ts';
import type { MedicationFact } from '../types.ts';
import { refOf, textOf, timeOf } from './fhir-read.ts';

const ACTIVE_REQUEST: ReadonlySet<string> = new Set(['active']);
const ACTIVE_STATEMENT: ReadonlySet<string> = new Set(['active', 'intended']);

export type MedicationLookup = (reference: string | undefined) => Medication | undefined;

function medicationConcept(
  r: MedicationRequest | MedicationStatement | MedicationAdministration,
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

/** How long a finished medicine still counts (clinical-sources §1.5.1: chemotherapy in the last 6 weeks). */
export const RECENT_MEDICATION_MS = 42 * 24 * 3_600_000;

const FINISHED: ReadonlySet<string> = new Set(['completed', 'stopped', 'in-progress']);

export function isRecentMedicationRecord(
  r: Resource,
): r is MedicationRequest | MedicationStatement | MedicationAdministration {
  if (r.resourceType === 'MedicationAdministration')
    return r.status === 'completed' || r.status === 'in-progress';
  return (
    (r.resourceType === 'MedicationRequest' || r.resourceType === 'MedicationStatement') &&
    FINISHED.has(r.status)
  );
}

/** A medicine given or taken within the last 6 weeks that is no longer an active order. */
export function recentMedicationFact(
  r: MedicationRequest | MedicationStatement | MedicationAdministration,
  lookup: MedicationLookup,
  atMs: number,
): (MedicationFact & { lastTaken: string }) | undefined {
  const source = refOf(r);
  if (!source) return undefined;
  const when =
    r.resourceType === 'MedicationRequest'
      ? (r.dispenseRequest?.validityPeriod?.end ?? r.authoredOn)
      : (r.effectiveDateTime ?? r.effectivePeriod?.end ?? r.effectivePeriod?.start);
  const t = timeOf(when);
  if (Number.isNaN(t) || t > atMs || atMs - t > RECENT_MEDICATION_MS) return undefined;
  const cc = medicationConcept(r, lookup);
  const rxnorm = (cc?.coding ?? []).filter((c) => c.system === SYSTEM.rxnorm && c.code).map((c) => c.code!);
  const texts = [...(cc?.coding ?? []).map((c) => c.display ?? ''), cc?.text ?? ''].filter(Boolean);
  const { ingredients, classes } = classifyDrug(rxnorm, texts);
  const display = textOf(cc) || 'unnamed medication';
  return {
    source,
    rxnorm,
    display,
    status: r.status,
    ingredients,
    classes,
    draft: false,
    lastTaken: new Date(t).toISOString(),
  };
}
