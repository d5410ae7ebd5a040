// Everything CiteCare reads about one patient, fetched through a gateway (the SMART app and any
// caller without prefetch). Uses the same query templates the CDS services advertise.
import type { Resource } from '@medplum/fhirtypes';
import type { FhirGateway } from './gateway.ts';
import { PATIENT_QUERIES, type PatientQueryKey, QUERY_LABELS } from './patient-queries.ts';
import { resolvePatientData } from './prefetch.ts';

export async function gatherPatientData(
  gateway: FhirGateway,
  patientId: string,
  opts: { encounterId?: string; keys?: PatientQueryKey[] } = {},
): Promise<{ resources: Resource[]; missing: string[] }> {
  const keys = opts.keys ?? (Object.keys(PATIENT_QUERIES) as PatientQueryKey[]);
  const templates = Object.fromEntries(keys.map((k) => [k, PATIENT_QUERIES[k]]));
  const resolved = await resolvePatientData({
    templates,
    required: ['patient'],
    context: { patientId, encounterId: opts.encounterId },
    gateway,
    labels: QUERY_LABELS,
  });
  return { resources: resolved.resources, missing: resolved.missing };
}
