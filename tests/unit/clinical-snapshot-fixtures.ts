// The FHIR patient and observation builder the snapshot tests share.
import type { Resource } from '@medplum/fhirtypes';

export const AT = new Date('2026-03-01T12:00:00Z');
export const ago = (mins: number) => new Date(AT.getTime() - mins * 60_000).toISOString();
export const patient: Resource = {
  resourceType: 'Patient',
  id: 'p1',
  meta: { versionId: '3', lastUpdated: '2026-01-01T00:00:00Z' },
  name: [{ family: 'Doe', given: ['Jane'] }],
  identifier: [{ system: 'urn:mrn', value: 'MRN-123456' }],
  telecom: [{ system: 'phone', value: '555-0100' }],
  address: [{ line: ['1 Main Street'], postalCode: '02139' }],
  gender: 'female',
  birthDate: '1958-03-02',
};

export function obs(
  id: string,
  code: string,
  value: number,
  unit: string,
  mins = 30,
  extra: Record<string, unknown> = {},
): Resource {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code }] },
    effectiveDateTime: ago(mins),
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
    ...extra,
  } as Resource;
}
