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
import { isActiveMedicationStatus } from '../status.ts';
import type { MedicationFact } from '../types.ts';
import { refOf, textOf, timeOf } from './fhir-read.ts';

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

/** What a medicine is, from its concept: RxNorm codes, a display name, ingredients and classes (one reading for every medication fact). */
function medicineIdentity(cc: ReturnType<typeof medicationConcept>) {
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
  const { ingredients, classes } = classifyDrug(rxnorm.length > 0 ? rxnorm : allCodes, texts);
  return { rxnorm, display: textOf(cc) || 'unnamed medication', ingredients, classes };
}

/** The fields every medication fact has, in one order. */
function factOf(
  source: string,
  r: MedicationRequest | MedicationStatement | MedicationAdministration,
  lookup: MedicationLookup,
  draft: boolean,
): MedicationFact {
  const { rxnorm, display, ingredients, classes } = medicineIdentity(medicationConcept(r, lookup));
  return { source, rxnorm, display, status: r.status, ingredients, classes, draft };
}

export function medicationFact(
  r: MedicationRequest | MedicationStatement,
  lookup: MedicationLookup,
  draft: boolean,
): MedicationFact | undefined {
  const source = refOf(r);
  if (!source) return undefined;
  if (!draft) {
    if (!isActiveMedicationStatus(r.resourceType, r.status)) return undefined;
    if (r.resourceType === 'MedicationRequest' && r.doNotPerform) return undefined;
  }
  const since =
    r.resourceType === 'MedicationRequest'
      ? r.authoredOn
      : (r.effectivePeriod?.start ?? r.effectiveDateTime ?? r.dateAsserted);
  const dose = doseOf(r);
  return { ...factOf(source, r, lookup, draft), ...(since ? { since } : {}), ...(dose ? { dose } : {}) };
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
  return { ...factOf(source, r, lookup, false), lastTaken: new Date(t).toISOString() };
}
