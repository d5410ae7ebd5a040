// The final triage level when a model took part: never less acute than the deterministic floor,
// and, when the rules could not look at current vital signs, never below the default level 3
// (the rules cannot see danger they have no readings for, so the model may not wave it away).
import type { ClinicalSnapshot, ResourceRef, TriageResult } from '../clinical/types.ts';

type Level = TriageResult['level'];

export interface CombineTriageOptions {
  /** Whether the snapshot has current vital signs (see hasCurrentVitalSigns). */
  vitalsKnown: boolean;
}

/** The level CiteCare keeps without current vital signs when no floor applies. */
export const NO_VITALS_LEVEL = 3;

/**
 * Heart rate, respiratory rate, systolic BP and SpO2 all have a current reading: the danger-zone
 * checks need all four. Weight, height or a pain score alone do not count.
 */
export function hasCurrentVitalSigns(snapshot: ClinicalSnapshot): boolean {
  const v = snapshot.vitals;
  return [v.heartRate, v.respiratoryRate, v.systolicBP, v.spo2].every((s) => s?.latest !== undefined);
}

/**
 * The more acute of the model's suggestion and the deterministic floor. Without a model level the
 * deterministic result stands unchanged. Without current vital signs (and no floor) the model may
 * not go below level 3; floorLevel stays null because no rule fired.
 */
export function combineTriage(
  assessmentTriage: TriageResult,
  modelLevel: Level | null | undefined,
  modelEvidence: readonly ResourceRef[] = [],
  options: CombineTriageOptions = { vitalsKnown: true },
): TriageResult {
  if (modelLevel === null || modelLevel === undefined) return assessmentTriage;
  const floor = assessmentTriage.floorLevel;
  const evidence = [...new Set([...assessmentTriage.evidence, ...modelEvidence])];
  if (floor !== null && modelLevel > floor) {
    return {
      ...assessmentTriage,
      level: floor,
      evidence,
      basis: 'floor-override',
      reasons: [
        `The model suggested level ${modelLevel}, less urgent than the deterministic safety floor (level ${floor}); the floor overrides the model.`,
        ...assessmentTriage.reasons,
      ],
    };
  }
  if (floor === null && !options.vitalsKnown && modelLevel > NO_VITALS_LEVEL) {
    return {
      ...assessmentTriage,
      level: NO_VITALS_LEVEL,
      floorLevel: null,
      evidence,
      basis: 'floor-override',
      reasons: [
        `The model suggested level ${modelLevel}; without current vital signs CiteCare keeps level ${NO_VITALS_LEVEL}.`,
        ...assessmentTriage.reasons,
      ],
    };
  }
  const floorText = floor === null ? 'no safety floor applies' : `safety floor level ${floor}`;
  return {
    ...assessmentTriage,
    level: modelLevel,
    evidence,
    basis: 'model',
    reasons: [`The model suggested level ${modelLevel} (${floorText}).`, ...assessmentTriage.reasons],
  };
}
