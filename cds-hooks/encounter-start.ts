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
  cards: { findings: true, triage: true, summary: false },
  facts: {
    intendedUse:
      'At the start of an emergency encounter, suggest a triage acuity level (1 most urgent to 5) with the reasons, never less urgent than the deterministic safety rules require.',
    intendedUsers: ['Triage nurses', 'Emergency physicians'],
    intendedPopulation: 'Patients of any age presenting to an emergency department.',
    decisionRole: 'Augments: proposes a level and red flags; the triage nurse assigns the level.',
    outputs: [
      'Suggested acuity level with reasons and evidence',
      'Danger-zone vital-sign flags',
      'Findings with citations',
    ],
    sources: [
      'Gilboy N, Tanabe P, Travers D, Rosenau AM. Emergency Severity Index (ESI) Version 4 Implementation Handbook. AHRQ Publication No. 12-0014, 2011 (2012 edition).',
      'Royal College of Physicians. National Early Warning Score (NEWS) 2. London: RCP, 2017.',
      'American Heart Association. Pediatric Advanced Life Support provider manual (vital-sign ranges).',
    ],
    cautionedUses: [
      'Software cannot foresee how many resources a patient will need (ESI decision point C): levels 3–5 always need the nurse’s judgement.',
    ],
    limitations: [
      'Without a model the suggestion is the deterministic floor (or a default level when no rule applies), which over-triages minor complaints.',
    ],
  },
};
