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
  cards: { findings: true, triage: false, summary: true },
  chartReview: 'chart',
  facts: {
    intendedUse:
      'When a clinician opens a patient’s chart, compute early-warning and risk scores and show guideline-cited findings (possible sepsis, unsafe renally cleared drugs, atrial fibrillation without anticoagulation, hyperkalaemia and others).',
    intendedUsers: ['Physicians', 'Registered nurses', 'Advanced practice providers', 'Pharmacists'],
    intendedPopulation:
      'Adults in hospital, emergency or clinic settings. NEWS2 and qSOFA are computed for ages 16 and over only; children get age-banded vital-sign flags.',
    decisionRole: 'Informs: points to findings and their evidence; the clinician decides.',
    outputs: [
      'NEWS2, qSOFA, SIRS, shock index, CHA2DS2-VASc and eGFR where computable',
      'Findings with severity, evidence and citations',
    ],
    sources: [
      'Royal College of Physicians. National Early Warning Score (NEWS) 2. London: RCP, 2017.',
      'Singer M, et al. The Third International Consensus Definitions for Sepsis and Septic Shock (Sepsis-3). JAMA 2016;315(8):801–810.',
      'Evans L, et al. Surviving Sepsis Campaign: international guidelines 2021. Crit Care Med / Intensive Care Med 2021.',
      'Lip GYH, et al. Refining clinical risk stratification for predicting stroke in atrial fibrillation (CHA2DS2-VASc). Chest 2010;137(2):263–272.',
      'Inker LA, et al. New creatinine- and cystatin C-based equations to estimate GFR without race (CKD-EPI 2021). N Engl J Med 2021.',
      'KDIGO clinical practice guidelines for CKD evaluation and management.',
    ],
    cautionedUses: ['NEWS2 is not validated in pregnancy or for people under 16.'],
    limitations: [
      'qSOFA is a prognostic prompt, not a sepsis screen on its own; the sepsis finding combines it with other signals.',
    ],
  },
};
