// Code systems and identifiers used in the FHIR export, in one place.

export const DICOM = {
  system: 'http://dicom.nema.org/resources/ontology/DCM',
  query: { code: '110112', display: 'Query' },
  applicationActivity: { code: '110100', display: 'Application Activity' },
} as const;

export const AUDIT_EVENT_TYPE = {
  system: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
  rest: { code: 'rest', display: 'RESTful Operation' },
} as const;

export const AUDIT_ENTITY_TYPE = {
  system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
  person: { code: '1', display: 'Person' },
  systemObject: { code: '2', display: 'System Object' },
} as const;

export const OBJECT_ROLE = {
  system: 'http://terminology.hl7.org/CodeSystem/object-role',
  patient: { code: '1', display: 'Patient' },
  domainResource: { code: '4', display: 'Domain Resource' },
  report: { code: '3', display: 'Report' },
  job: { code: '20', display: 'Job' },
} as const;

export const SECURITY_SOURCE_TYPE = {
  system: 'http://terminology.hl7.org/CodeSystem/security-source-type',
  applicationServer: { code: '4', display: 'Application Server' },
} as const;

export const PROVENANCE_PARTICIPANT = {
  system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
  assembler: { code: 'assembler', display: 'Assembler' },
  author: { code: 'author', display: 'Author' },
} as const;

/** CiteCare's own identifier systems and codes. */
export const CITECARE = {
  software: 'CiteCare',
  auditRecord: 'urn:citecare:audit-record',
  feedbackEvent: 'urn:citecare:audit-feedback',
  card: 'urn:citecare:card',
  guidelineChunk: 'urn:citecare:guideline-chunk',
  drugTable: 'urn:citecare:drug-table',
  hookSystem: 'https://cds-hooks.org/hooks',
  eventSystem: 'urn:citecare:audit-event',
  feedbackCode: { code: 'card-feedback', display: 'Card feedback' },
  smartDecisionCode: { code: 'smart-decision', display: 'Nurse triage decision' },
} as const;
