// The resources of one request indexed once by type, so each snapshot builder walks only its own list.
// A resource that cannot be cited (no id, or an id that breaks the FHIR id rule) is counted, not indexed.
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
import type { ClinicalSnapshot } from '../types.ts';
import { refOf, timeOf } from './fhir-read.ts';
import { isMedicationOrder } from './medications.ts';

/**
 * The FHIR id rule (and a plausible type name). A resource that breaks it cannot be cited safely:
 * its `Type/id` would reach card Markdown and the audit trail, so it is ignored with a warning.
 */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;

interface Lists {
  patients: Patient[];
  encounters: Encounter[];
  conditions: Condition[];
  observations: Observation[];
  allergies: AllergyIntolerance[];
  documents: DocumentReference[];
  /** MedicationRequest and MedicationStatement, in input order. */
  medOrders: Resource[];
  administrations: Resource[];
}

/** Which list a resource type goes to (Medication is looked up by reference instead). */
const LIST_OF: ReadonlyMap<string, keyof Lists> = new Map<string, keyof Lists>([
  ['Patient', 'patients'],
  ['Encounter', 'encounters'],
  ['Condition', 'conditions'],
  ['Observation', 'observations'],
  ['AllergyIntolerance', 'allergies'],
  ['DocumentReference', 'documents'],
  ['MedicationRequest', 'medOrders'],
  ['MedicationStatement', 'medOrders'],
  ['MedicationAdministration', 'administrations'],
]);

export class ResourceIndex {
  /** Every citable resource that went in, with version data, for the audit trail. */
  readonly listed: ClinicalSnapshot['resources'] = [];
  readonly lists: Lists = {
    patients: [],
    encounters: [],
    conditions: [],
    observations: [],
    allergies: [],
    documents: [],
    medOrders: [],
    administrations: [],
  };
  /** Draft medication orders (order-select / order-sign). */
  readonly drafts: Resource[] = [];
  /** `meta.lastUpdated` as epoch ms, for the tie-break between readings at the same time. */
  readonly updated = new Map<Resource, number>();
  private readonly medicationsById = new Map<string, Medication>();
  private anonymous = 0;
  private invalidIds = 0;

  constructor(resources: readonly Resource[], draftOrders: readonly Resource[]) {
    for (const r of resources) this.add(r, false);
    for (const r of draftOrders) this.add(r, true);
  }

  /** The Medication a medication order points to (`Medication/id` or `urn:uuid:id`). */
  readonly medication = (ref: string | undefined): Medication | undefined =>
    ref ? this.medicationsById.get(ref) : undefined;

  /** What the index ignored and why, as snapshot warnings. */
  warnings(): string[] {
    const out: string[] = [];
    if (this.anonymous > 0)
      out.push(`${this.anonymous} resource(s) without an id were ignored (no Type/id to cite).`);
    if (this.invalidIds > 0)
      out.push(`${this.invalidIds} resource(s) whose id is not a valid FHIR id were ignored.`);
    const patients = this.lists.patients.length;
    if (patients > 1) out.push(`${patients} Patient resources in the input; the first one is used.`);
    return out;
  }

  private add(r: Resource, draft: boolean): void {
    if (!r || typeof r !== 'object' || typeof r.resourceType !== 'string') return;
    const ref = refOf(r);
    if (!ref) {
      this.anonymous++;
      return;
    }
    if (typeof r.id !== 'string' || !FHIR_ID.test(r.id) || !RESOURCE_TYPE.test(r.resourceType)) {
      this.invalidIds++;
      return;
    }
    this.listed.push({
      ref,
      ...(r.meta?.versionId ? { versionId: r.meta.versionId } : {}),
      ...(r.meta?.lastUpdated ? { lastUpdated: r.meta.lastUpdated } : {}),
    });
    if (r.meta?.lastUpdated) this.updated.set(r, timeOf(r.meta.lastUpdated));
    if (draft) {
      if (isMedicationOrder(r)) this.drafts.push(r);
      return;
    }
    if (r.resourceType === 'Medication') {
      this.medicationsById.set(ref, r);
      this.medicationsById.set(`urn:uuid:${r.id}`, r);
      return;
    }
    const list = LIST_OF.get(r.resourceType);
    if (list) (this.lists[list] as Resource[]).push(r);
  }
}
