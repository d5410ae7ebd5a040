// buildSnapshot: raw FHIR resources → ClinicalSnapshot. The resources are indexed once by type; each
// builder walks only its own list, so the cost is linear in the number of resources.
import type {
  AllergyIntolerance,
  Condition,
  DocumentReference,
  Encounter,
  Medication,
  Observation,
  Patient,
  Resource,
} from '@medplum/fhirtypes';
import { conditionsIn } from '../conditions-query.ts';
import type { ClinicalSnapshot, ConditionFact, MedicationFact, ResourceRef } from '../types.ts';
import { allergyFact } from './allergies.ts';
import { conditionFact } from './conditions.ts';
import { pickEncounter } from './encounter.ts';
import { refOf, timeOf } from './fhir-read.ts';
import {
  isMedicationOrder,
  isRecentMedicationRecord,
  medicationFact,
  recentMedicationFact,
} from './medications.ts';
import { noteFact } from './notes.ts';
import { buildObservationFacts } from './observations.ts';
import { patientFacts } from './patient.ts';

export interface SnapshotOptions {
  /** The "as of" time: readings after it are ignored, ages are computed at it. */
  at: Date;
  chiefComplaint?: string;
  /** Draft orders from order-select / order-sign; they become medications with draft: true. */
  draftOrders?: Resource[];
}

/**
 * The FHIR id rule (and a plausible type name). A resource that breaks it cannot be cited safely:
 * its `Type/id` would reach card Markdown and the audit trail, so it is ignored with a warning.
 */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/** A pregnancy-status observation older than this no longer says anything about today. */
const PREGNANCY_STATUS_MAX_AGE_MS = 280 * 24 * 3_600_000;
/**
 * A pregnancy condition that began longer ago than this (a pregnancy's longest course, 44 weeks) is a
 * past pregnancy left active on the problem list, not a pregnancy today.
 */
const PREGNANCY_CONDITION_MAX_AGE_MS = 44 * 7 * 24 * 3_600_000;

export function buildSnapshot(resources: readonly Resource[], opts: SnapshotOptions): ClinicalSnapshot {
  const at = opts.at;
  const atMs = at.getTime();
  if (Number.isNaN(atMs)) throw new TypeError('buildSnapshot: opts.at is not a valid date');
  const warnings: string[] = [];
  const listed: ClinicalSnapshot['resources'] = [];
  const patients: Patient[] = [];
  const encounters: Encounter[] = [];
  const conditions: Condition[] = [];
  const observations: Observation[] = [];
  const allergies: AllergyIntolerance[] = [];
  const documents: DocumentReference[] = [];
  const medOrders: Resource[] = [];
  const administrations: Resource[] = [];
  const medicationsById = new Map<string, Medication>();
  const updated = new Map<Resource, number>();
  let anonymous = 0;
  let invalidIds = 0;

  const index = (r: Resource, draft: boolean) => {
    if (!r || typeof r !== 'object' || typeof r.resourceType !== 'string') return;
    const ref = refOf(r);
    if (!ref) {
      anonymous++;
      return;
    }
    if (typeof r.id !== 'string' || !FHIR_ID.test(r.id) || !RESOURCE_TYPE.test(r.resourceType)) {
      invalidIds++;
      return;
    }
    listed.push({
      ref,
      ...(r.meta?.versionId ? { versionId: r.meta.versionId } : {}),
      ...(r.meta?.lastUpdated ? { lastUpdated: r.meta.lastUpdated } : {}),
    });
    if (r.meta?.lastUpdated) updated.set(r, timeOf(r.meta.lastUpdated));
    if (draft) {
      if (isMedicationOrder(r)) draftFacts.push(r);
      return;
    }
    switch (r.resourceType) {
      case 'Patient':
        patients.push(r);
        break;
      case 'Encounter':
        encounters.push(r);
        break;
      case 'Condition':
        conditions.push(r);
        break;
      case 'Observation':
        observations.push(r);
        break;
      case 'AllergyIntolerance':
        allergies.push(r);
        break;
      case 'DocumentReference':
        documents.push(r);
        break;
      case 'MedicationRequest':
      case 'MedicationStatement':
        medOrders.push(r);
        break;
      case 'MedicationAdministration':
        administrations.push(r);
        break;
      case 'Medication':
        medicationsById.set(ref, r);
        medicationsById.set(`urn:uuid:${r.id}`, r);
        break;
    }
  };
  const draftFacts: Resource[] = [];
  for (const r of resources) index(r, false);
  for (const r of opts.draftOrders ?? []) index(r, true);
  if (anonymous > 0)
    warnings.push(`${anonymous} resource(s) without an id were ignored (no Type/id to cite).`);
  if (invalidIds > 0)
    warnings.push(`${invalidIds} resource(s) whose id is not a valid FHIR id were ignored.`);
  if (patients.length > 1) {
    warnings.push(`${patients.length} Patient resources in the input; the first one is used.`);
  }

  const patient = patientFacts(patients[0], at, warnings);
  const lookup = (ref: string | undefined) => (ref ? medicationsById.get(ref) : undefined);

  const conditionFacts: ConditionFact[] = [];
  for (const c of conditions) {
    const f = conditionFact(c, atMs);
    if (f) conditionFacts.push(f);
  }

  const meds: MedicationFact[] = [];
  for (const r of medOrders) {
    if (!isMedicationOrder(r)) continue;
    const authored = timeOf(r.resourceType === 'MedicationRequest' ? r.authoredOn : r.dateAsserted);
    if (!Number.isNaN(authored) && authored > atMs) continue;
    const f = medicationFact(r, lookup, false);
    if (f) meds.push(f);
  }
  const recent: NonNullable<ClinicalSnapshot['recentMedications']> = [];
  for (const r of [...medOrders, ...administrations]) {
    if (!isRecentMedicationRecord(r)) continue;
    const f = recentMedicationFact(r, lookup, atMs);
    if (f) recent.push(f);
  }
  for (const r of draftFacts) {
    if (!isMedicationOrder(r)) continue;
    const f = medicationFact(r, lookup, true);
    if (f) meds.push(f);
  }

  const allergyFacts = [];
  for (const a of allergies) {
    const onset = timeOf(a.recordedDate ?? a.onsetDateTime);
    if (!Number.isNaN(onset) && onset > atMs) continue;
    const f = allergyFact(a);
    if (f) allergyFacts.push(f);
  }

  const notes = [];
  for (const d of documents) {
    const f = noteFact(d, atMs);
    if (f) notes.push(f);
  }
  notes.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));

  const obs = buildObservationFacts(observations, at, warnings, (o) => updated.get(o) ?? 0);

  const pregnancySources: ResourceRef[] = conditionsIn(conditionFacts, 'pregnancy')
    .filter((c) => !c.onset || atMs - Date.parse(c.onset) <= PREGNANCY_CONDITION_MAX_AGE_MS)
    .map((c) => c.source);
  const ps = obs.pregnancyStatus;
  if (ps && atMs - ps.t <= PREGNANCY_STATUS_MAX_AGE_MS && ps.pregnant) pregnancySources.push(ps.source);
  const ga = obs.gestationalAge;
  const gaCurrent = ga && atMs - ga.t <= PREGNANCY_STATUS_MAX_AGE_MS ? ga : undefined;
  if (gaCurrent) pregnancySources.push(gaCurrent.source);
  const pregnant = patient.sex !== 'male' && pregnancySources.length > 0;

  const encounter = pickEncounter(encounters, atMs);
  const chief = opts.chiefComplaint?.trim();
  return {
    at: at.toISOString(),
    patient: {
      ...patient,
      pregnant,
      ...(pregnant
        ? {
            pregnancy: {
              sources: [...new Set(pregnancySources)],
              ...(gaCurrent ? { gestationalWeeks: gaCurrent.weeks } : {}),
            },
          }
        : {}),
    },
    ...(encounter ? { encounter } : {}),
    conditions: conditionFacts,
    medications: meds,
    ...(recent.length > 0 ? { recentMedications: recent } : {}),
    allergies: allergyFacts,
    vitals: obs.vitals,
    labs: obs.labs,
    notes,
    ...(chief ? { chiefComplaint: chief } : {}),
    resources: listed,
    warnings,
    ...(obs.notUnderstood.length > 0 ? { notUnderstood: obs.notUnderstood } : {}),
  };
}
