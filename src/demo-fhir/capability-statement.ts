// Medplum's router answers GET /metadata with an empty search, so the demo server states its own
// capabilities. It is an open development server: no SMART security is declared because none exists.
import type { CapabilityStatement, CapabilityStatementRestResourceSearchParam } from '@medplum/fhirtypes';

const RESOURCE_TYPES = [
  'Patient',
  'Encounter',
  'Observation',
  'Condition',
  'MedicationRequest',
  'MedicationStatement',
  'AllergyIntolerance',
  'DocumentReference',
  'ServiceRequest',
  'Procedure',
  'Provenance',
] as const;

type SearchParam = CapabilityStatementRestResourceSearchParam;

const params = (types: Record<string, SearchParam['type']>): SearchParam[] =>
  Object.entries(types).map(([name, type]) => ({ name, type }));

const COMMON_SEARCH = params({ _id: 'token', _lastUpdated: 'date', _count: 'number', _sort: 'string' });

const PATIENT_SCOPED_SEARCH: SearchParam[] = [
  { name: 'patient', type: 'reference', documentation: 'A bare id is read as Patient/{id}.' },
  ...params({
    subject: 'reference',
    encounter: 'reference',
    status: 'token',
    code: 'token',
    category: 'token',
    date: 'date',
  }),
];

export function demoCapabilityStatement(baseUrl: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString().slice(0, 10),
    kind: 'instance',
    publisher: 'CiteCare',
    description:
      'CiteCare embedded demo FHIR R4 server: in-memory, fictional demo patients only, reset at every ' +
      'start. OPEN DEVELOPMENT SERVER WITHOUT SECURITY: no SMART on FHIR, no OAuth, anyone who can reach ' +
      'it can read and write. Never put real patient data in it; set DEMO_FHIR=off in production.',
    software: { name: 'CiteCare demo FHIR server (in-memory @medplum/fhir-router)', version: '4.5.2' },
    implementation: { description: 'CiteCare demo FHIR server', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation: 'No paging links: use _count. _include is not supported.',
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
        resource: RESOURCE_TYPES.map((type) => ({
          type,
          interaction: [
            { code: 'read' },
            { code: 'vread' },
            { code: 'search-type' },
            { code: 'create' },
            { code: 'update' },
          ],
          updateCreate: true,
          searchParam:
            type === 'Patient'
              ? [...COMMON_SEARCH, { name: 'name', type: 'string' }]
              : [...COMMON_SEARCH, ...PATIENT_SCOPED_SEARCH],
        })),
      },
    ],
  };
}
