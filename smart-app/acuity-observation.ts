// The nurse's decision as a FHIR Observation written back to the EHR.
import type { Observation } from '@medplum/fhirtypes';
import {
  ACUITY_CODE,
  type AcuityLevel,
  ASSESSMENT_IDENTIFIER_SYSTEM,
  ESI_LEVEL_DISPLAY,
  ESI_LEVEL_SYSTEM,
  OBSERVATION_CATEGORY,
} from './codes.ts';

export interface AcuityDecision {
  patientId: string;
  encounterId?: string;
  level: AcuityLevel;
  action: 'accept' | 'override';
  reason?: string;
  /** ISO-8601 time the nurse decided. */
  decidedAt: string;
  /** `Practitioner/id` (or an absolute URL) from the fhirUser claim, when known. */
  performer?: string;
  /** The vital-sign Observations the assessment used. */
  derivedFrom: string[];
  suggestedLevel: AcuityLevel;
  /** The assessment's audit record id: one Observation per assessment, even across retries. */
  assessmentRecordId: string;
}

/** `https://ehr/fhir/Practitioner/1` → `Practitioner/1` when it lives on the same server. */
export function relativeReference(ref: string, fhirBase: string): string {
  const base = `${fhirBase.replace(/\/+$/, '')}/`;
  return ref.startsWith(base) ? ref.slice(base.length) : ref;
}

export function acuityObservation(d: AcuityDecision): Observation {
  const note =
    d.action === 'override'
      ? `Nurse override: level ${d.level} instead of suggested level ${d.suggestedLevel}. Reason: ${d.reason ?? ''}`
      : `Nurse accepted the suggested level ${d.level}.`;
  return {
    resourceType: 'Observation',
    identifier: [{ system: ASSESSMENT_IDENTIFIER_SYSTEM, value: d.assessmentRecordId }],
    status: 'final',
    category: [{ coding: [{ system: OBSERVATION_CATEGORY.system, code: OBSERVATION_CATEGORY.survey }] }],
    // LOINC has no ESI-specific code (clinical-sources §4.1): the level is the value of 11283-9,
    // coded in our local system urn:citecare:esi.
    code: { coding: [{ ...ACUITY_CODE }], text: 'Triage acuity level' },
    subject: { reference: `Patient/${d.patientId}` },
    ...(d.encounterId ? { encounter: { reference: `Encounter/${d.encounterId}` } } : {}),
    effectiveDateTime: d.decidedAt,
    ...(d.performer ? { performer: [{ reference: d.performer }] } : {}),
    valueCodeableConcept: {
      coding: [{ system: ESI_LEVEL_SYSTEM, code: String(d.level), display: ESI_LEVEL_DISPLAY[d.level] }],
      text: ESI_LEVEL_DISPLAY[d.level],
    },
    ...(d.derivedFrom.length ? { derivedFrom: d.derivedFrom.map((reference) => ({ reference })) } : {}),
    note: [{ text: note }],
  };
}
