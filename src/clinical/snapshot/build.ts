// buildSnapshot: raw FHIR resources → ClinicalSnapshot. The resources are indexed once by type; each
// builder walks only its own list, so the cost is linear in the number of resources.
import type { Resource } from '@medplum/fhirtypes';
import type { AllergyFact, ClinicalSnapshot, ConditionFact, MedicationFact, NoteFact } from '../types.ts';
import { allergyFact } from './allergies.ts';
import { conditionFact } from './conditions.ts';
import { pickEncounter } from './encounter.ts';
import { timeOf } from './fhir-read.ts';
import {
  isMedicationOrder,
  isRecentMedicationRecord,
  medicationFact,
  recentMedicationFact,
} from './medications.ts';
import { noteFact } from './notes.ts';
import { buildObservationFacts } from './observations.ts';
import { patientFacts } from './patient.ts';
import { pregnancyOf } from './pregnancy.ts';
import { ResourceIndex } from './resource-index.ts';

export interface SnapshotOptions {
  /** The "as of" time: readings after it are ignored, ages are computed at it. */
  at: Date;
  chiefComplaint?: string;
  /** Draft orders from order-select / order-sign; they become medications with draft: true. */
  draftOrders?: Resource[];
}

type RecentMedications = NonNullable<ClinicalSnapshot['recentMedications']>;

/** Facts from each resource that gives one (a builder returns undefined for what it cannot read). */
function factsOf<R, F>(list: readonly R[], fact: (r: R) => F | undefined): F[] {
  const out: F[] = [];
  for (const r of list) {
    const f = fact(r);
    if (f !== undefined) out.push(f);
  }
  return out;
}

/** A time stated after `at` means the record did not exist yet; a missing or unreadable time does not. */
const after = (s: string | undefined, atMs: number): boolean => {
  const t = timeOf(s);
  return !Number.isNaN(t) && t > atMs;
};

/** Active orders (ordered by `at`), then the drafts; and the inactive ones taken in the last weeks. */
function medicationFacts(
  idx: ResourceIndex,
  atMs: number,
): { meds: MedicationFact[]; recent: RecentMedications } {
  const { medOrders, administrations } = idx.lists;
  const meds = factsOf(medOrders, (r) => {
    if (!isMedicationOrder(r)) return undefined;
    if (after(r.resourceType === 'MedicationRequest' ? r.authoredOn : r.dateAsserted, atMs)) return undefined;
    return medicationFact(r, idx.medication, false);
  });
  const recent = factsOf([...medOrders, ...administrations], (r) =>
    isRecentMedicationRecord(r) ? recentMedicationFact(r, idx.medication, atMs) : undefined,
  );
  meds.push(
    ...factsOf(idx.drafts, (r) =>
      isMedicationOrder(r) ? medicationFact(r, idx.medication, true) : undefined,
    ),
  );
  return { meds, recent };
}

function allergyFacts(idx: ResourceIndex, atMs: number): AllergyFact[] {
  return factsOf(idx.lists.allergies, (a) =>
    after(a.recordedDate ?? a.onsetDateTime, atMs) ? undefined : allergyFact(a),
  );
}

/** Notes newest first (undated last). */
function noteFacts(idx: ResourceIndex, atMs: number): NoteFact[] {
  const notes = factsOf(idx.lists.documents, (d) => noteFact(d, atMs));
  return notes.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
}

export function buildSnapshot(resources: readonly Resource[], opts: SnapshotOptions): ClinicalSnapshot {
  const at = opts.at;
  const atMs = at.getTime();
  if (Number.isNaN(atMs)) throw new TypeError('buildSnapshot: opts.at is not a valid date');
  const idx = new ResourceIndex(resources, opts.draftOrders ?? []);
  const warnings = idx.warnings();
  const patient = patientFacts(idx.lists.patients[0], at, warnings);
  const conditions: ConditionFact[] = factsOf(idx.lists.conditions, (c) => conditionFact(c, atMs));
  const { meds, recent } = medicationFacts(idx, atMs);
  const allergies = allergyFacts(idx, atMs);
  const notes = noteFacts(idx, atMs);
  const obs = buildObservationFacts(idx.lists.observations, at, warnings, (o) => idx.updated.get(o) ?? 0);
  const encounter = pickEncounter(idx.lists.encounters, atMs);
  const chief = opts.chiefComplaint?.trim();
  return {
    at: at.toISOString(),
    patient: { ...patient, ...pregnancyOf(conditions, obs, patient.sex, atMs) },
    ...(encounter ? { encounter } : {}),
    conditions,
    medications: meds,
    ...(recent.length > 0 ? { recentMedications: recent } : {}),
    allergies,
    vitals: obs.vitals,
    labs: obs.labs,
    notes,
    ...(chief ? { chiefComplaint: chief } : {}),
    resources: idx.listed,
    warnings,
    ...(obs.notUnderstood.length > 0 ? { notUnderstood: obs.notUnderstood } : {}),
  };
}
