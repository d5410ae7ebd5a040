import { PATIENT_QUERIES } from '../src/fhir/patient-queries.ts';
import { patientViewContext, requestSchema } from './request-schema.ts';
import type { CdsServiceModule } from './service.ts';

const { patient, conditions, medications, medicationStatements, allergies, vitals, labs, notes } =
  PATIENT_QUERIES;

export const patientView: CdsServiceModule = {
  descriptor: {
    hook: 'patient-view',
    id: 'citecare-patient-view',
    title: 'CiteCare patient summary and risks',
    description:
      'Scores (NEWS2, qSOFA, eGFR) and guideline-cited risk findings for the patient in view (sepsis screen, kidney function with renally cleared drugs, AFib without anticoagulation, hyperkalaemia, hypoglycaemia), with a short cited summary when a model is configured.',
    prefetch: { patient, conditions, medications, medicationStatements, allergies, vitals, labs, notes },
    usageRequirements:
      'Needs read access to the patient, conditions, active medication orders, allergies, vital signs and laboratory results (prefetch or fhirAuthorization). Decision support only: a clinician reviews every card.',
  },
  schema: requestSchema('patient-view', patientViewContext),
  required: ['patient'],
  adviceKind: 'summary',
};
