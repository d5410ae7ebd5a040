import { PATIENT_QUERIES } from '../src/fhir/patient-queries.ts';
import { encounterStartContext, requestSchema } from './request-schema.ts';
import type { CdsServiceModule } from './service.ts';

const { patient, encounter, conditions, medications, medicationStatements, allergies, vitals, labs, notes } =
  PATIENT_QUERIES;

export const encounterStart: CdsServiceModule = {
  descriptor: {
    hook: 'encounter-start',
    id: 'citecare-encounter-start',
    title: 'CiteCare emergency triage',
    description:
      'Suggests an Emergency Severity Index level for the starting encounter: a deterministic safety floor from vital signs, consciousness and shock criteria, danger-zone vitals by age band, and a cited model rationale when a model is configured. Links to the CiteCare triage app to accept or override.',
    prefetch: {
      patient,
      encounter,
      conditions,
      medications,
      medicationStatements,
      allergies,
      vitals,
      labs,
      notes,
    },
    usageRequirements:
      'Needs read access to the patient, the encounter and recent vital signs. The suggested level never falls below what the vital signs alone require; the triage nurse decides.',
  },
  schema: requestSchema('encounter-start', encounterStartContext),
  required: ['patient', 'vitals'],
  adviceKind: 'triage',
};
