// The one place a model's suggested level meets the deterministic triage: the final level is never less
// acute than the floor, and never below 3 unless the low-risk gate for ESI 4 and 5 is open
// (low-risk-gate.ts) and the model's own rationale passed verification in full. Whatever the model or
// an injected note says, a patient who is not low risk stays at 3, and the card says why the lower
// suggestion was not taken. Pure: the pipeline (src/pipeline/final-triage.ts) calls it once per decision.
import type { ResourceRef, TriageResult } from '../types.ts';

type Level = TriageResult['level'];

export interface CombineTriageOptions {
  /** Whether the snapshot has current vital signs (see hasCurrentVitalSigns). */
  vitalsKnown?: boolean;
  /** Whether the model's rationale for its level survived verification without losses. */
  reasonVerified?: boolean;
}

/** The lowest acuity (highest number) CiteCare shows when the low-risk gate is closed. */
export const GATED_LEVEL = 3;

/** Why a level below 3 may not be taken; empty when it may. A triage without a gate result is closed. */
export function gateBlockers(triage: TriageResult, options: CombineTriageOptions): string[] {
  const blockers = triage.lowRisk
    ? [...triage.lowRisk.blockers]
    : ['the low-risk conditions were not checked'];
  if (options.vitalsKnown === false && !blockers.includes('no complete set of current vital signs'))
    blockers.unshift('no complete set of current vital signs');
  if (options.reasonVerified === false)
    blockers.push("the model's rationale did not pass verification in full");
  return blockers;
}

/**
 * The more acute of the model's suggestion and the deterministic floor, with the low-risk gate for levels
 * 4 and 5. Without a model level the deterministic result stands unchanged.
 */
export function combineTriage(
  assessmentTriage: TriageResult,
  modelLevel: Level | null | undefined,
  modelEvidence: readonly ResourceRef[] = [],
  options: CombineTriageOptions = {},
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
  if (modelLevel > GATED_LEVEL) {
    const blockers = gateBlockers(assessmentTriage, options);
    if (blockers.length > 0) {
      const head =
        options.vitalsKnown === false
          ? `The model suggested level ${modelLevel}; without current vital signs CiteCare keeps level ${GATED_LEVEL}.`
          : `The model suggested level ${modelLevel}; CiteCare keeps level ${GATED_LEVEL}, because a level below 3 needs a low-risk patient.`;
      return {
        ...assessmentTriage,
        level: GATED_LEVEL,
        floorLevel: floor,
        evidence,
        basis: 'floor-override',
        reasons: [`${head} Not met: ${blockers.join('; ')}.`, ...assessmentTriage.reasons],
      };
    }
  }
  const lowest = assessmentTriage.lowRisk?.lowestLevel ?? 5;
  if (modelLevel > lowest) {
    return {
      ...assessmentTriage,
      level: lowest,
      floorLevel: floor,
      evidence,
      basis: 'floor-override',
      reasons: [
        `The model suggested level ${modelLevel}; CiteCare keeps level ${lowest}, because ${assessmentTriage.lowRisk?.lowestLevelReason ?? 'the data do not allow a less urgent level'}.`,
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
