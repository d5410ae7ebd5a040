// The FHIR queries CiteCare needs about one patient, written once as prefetch templates.
// CDS services advertise a subset as their prefetch; the SMART app and the fallback fetcher
// run the same templates, so prefetched and fetched data are always equivalent.
import type { Resource } from '@medplum/fhirtypes';
export const PATIENT_QUERIES = {
  patient: 'Patient/{{context.patientId}}',
  encounter: 'Encounter/{{context.encounterId}}',
  conditions: 'Condition?patient={{context.patientId}}',
  medications: 'MedicationRequest?patient={{context.patientId}}&status=active',
  medicationStatements: 'MedicationStatement?patient={{context.patientId}}&status=active',
  allergies: 'AllergyIntolerance?patient={{context.patientId}}',
  vitals: 'Observation?patient={{context.patientId}}&category=vital-signs&_sort=-date&_count=200',
  labs: 'Observation?patient={{context.patientId}}&category=laboratory&_sort=-date&_count=200',
  notes: 'DocumentReference?patient={{context.patientId}}&_sort=-date&_count=5',
} as const;

export type PatientQueryKey = keyof typeof PATIENT_QUERIES;

/** Human names for what a key holds, used in "could not be retrieved" notes. */
export const QUERY_LABELS: Record<PatientQueryKey, string> = {
  patient: 'patient demographics',
  encounter: 'the encounter',
  conditions: 'conditions',
  medications: 'active medication orders',
  medicationStatements: 'medication statements',
  allergies: 'allergies',
  vitals: 'vital signs',
  labs: 'laboratory results',
  notes: 'clinical notes',
};

const TOKEN = /\{\{\s*([^}]+?)\s*\}\}/g;

/**
 * Fills `{{context.x}}` and `{{userPractitionerId}}`-style tokens. Returns null when a token has
 * no value (the query cannot be run: e.g. no encounterId on patient-view).
 */
export function fillTemplate(template: string, context: Record<string, unknown>): string | null {
  let missing = false;
  const userId = typeof context.userId === 'string' ? context.userId : '';
  const [userType, userRef] = userId.split('/', 2);
  const out = template.replace(TOKEN, (_, token: string) => {
    let value: unknown;
    if (token.startsWith('context.')) value = context[token.slice('context.'.length)];
    else if (/^user(Practitioner|PractitionerRole|Patient|RelatedPerson)Id$/.test(token)) {
      value = token === `user${userType}Id` ? userRef : undefined;
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      missing = true;
      return '';
    }
    return encodeURIComponent(String(value));
  });
  return missing ? null : out;
}

/**
 * What a CDS client sends as prefetch: every template whose tokens the context can satisfy, run
 * through `get`; others are left out, as the spec asks. (The demo client and the benchmark use it.)
 */
export async function fillPrefetch(
  templates: Record<string, string>,
  context: Record<string, unknown>,
  get: (relative: string) => Promise<Resource | null>,
): Promise<Record<string, Resource | null>> {
  const out: Record<string, Resource | null> = {};
  await Promise.all(
    Object.entries(templates).map(async ([key, template]) => {
      const relative = fillTemplate(template, context);
      if (relative !== null) out[key] = await get(relative);
    }),
  );
  return out;
}
