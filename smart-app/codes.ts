// What the SMART app writes, built from the project's one code table (src/clinical/codes.ts) so the
// write-back and its tests agree.
import { LOINC, SYSTEM } from '../src/clinical/codes.ts';

export const LOINC_SYSTEM = SYSTEM.loinc;

/**
 * The acuity assessment the nurse confirms. LOINC has no ESI-specific code (clinical-sources §4.1), so
 * the level travels as the value of the generic "acuity assessment" code with a local code system.
 */
export const ACUITY_CODE = {
  system: LOINC_SYSTEM,
  code: LOINC.acuityAssessment,
  display: 'Acuity assessment at First encounter',
} as const;

/** Local code system for the level (1 most acute … 5 least); our proposal, not a published system. */
export const ESI_LEVEL_SYSTEM = 'urn:citecare:esi' as const;

export const OBSERVATION_CATEGORY = {
  system: SYSTEM.observationCategory,
  survey: 'survey',
} as const;

export const ESI_LEVEL_DISPLAY = {
  1: 'Level 1 (resuscitation)',
  2: 'Level 2 (emergent)',
  3: 'Level 3 (urgent)',
  4: 'Level 4 (less urgent)',
  5: 'Level 5 (non-urgent)',
} as const;

export type AcuityLevel = keyof typeof ESI_LEVEL_DISPLAY;

/** Observation.identifier system for a decision: the value is the audit record id of the assessment. */
export const ASSESSMENT_IDENTIFIER_SYSTEM = 'urn:citecare:assessment' as const;
